package io.sealsync.rowsync;

import io.sealsync.platform.db.Database;
import io.sealsync.platform.db.HotStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Per-user state shared by the write paths: the user lock, {@code user_state}, {@code scope_state}
 * and the initialization lease (rowsync.md §6, §7).
 */
public final class ScopeStore {
  public static final int UNINITIALIZED = 0;
  public static final int INITIALIZING = 1;
  public static final int INITIALIZED = 2;

  private ScopeStore() {}

  /** A locked scope row, after lazy expiry of a stale lease. */
  public record Scope(
      long userPk,
      int state,
      String initializerSourceId,
      String initializationId,
      OffsetDateTime leaseExpiresAt,
      OffsetDateTime now) {}

  /**
   * Serializes all writes of one user. The transaction-level lock on the reference's key conflicts
   * with the reference tooling's session-level lock on the same key.
   */
  @HotStatement
  public static final String LOCK_USER =
      "SELECT pg_advisory_xact_lock(hashtextextended(?, 0)), set_config('TimeZone', 'UTC', true)";

  static void lockUser(Connection c, String userId) throws SQLException {
    // One round trip: the lock, and the session time zone of §7.3 for this transaction.
    try (PreparedStatement ps = c.prepareStatement(LOCK_USER)) {
      ps.setString(1, userId);
      ps.execute();
    }
  }

  /**
   * Payload timestamps are rendered by to_jsonb in the session time zone, which must be UTC (§7.3).
   */
  public static void utc(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET LOCAL TimeZone = 'UTC'");
    }
  }

  @HotStatement
  static final String ENSURE_USER =
      "INSERT INTO sync.user_state (user_id) VALUES (?) ON CONFLICT (user_id) DO NOTHING";

  /** The user's user_pk, created on first use; under the user's lock (one read when it exists). */
  static long ensureUser(Connection c, String userId) throws SQLException {
    java.util.OptionalLong known = findUser(c, userId);
    if (known.isPresent()) {
      return known.getAsLong();
    }
    try (PreparedStatement ps = c.prepareStatement(ENSURE_USER)) {
      ps.setString(1, userId);
      ps.executeUpdate();
    }
    return findUser(c, userId).orElseThrow();
  }

  @HotStatement
  static final String FIND_USER = "SELECT user_pk FROM sync.user_state WHERE user_id = ?";

  public static java.util.OptionalLong findUser(Connection c, String userId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(FIND_USER)) {
      ps.setString(1, userId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? java.util.OptionalLong.of(rs.getLong(1))
            : java.util.OptionalLong.empty();
      }
    }
  }

  @HotStatement
  static final String INSERT_SCOPE =
      "INSERT INTO sync.scope_state (user_pk, state_code) VALUES (?, 0) ON CONFLICT (user_pk) DO NOTHING";

  /**
   * Ensures and locks the scope row, expiring a stale lease first. Usually one round trip: the row
   * is read and locked at once; only a new user's row is inserted and only a stale lease updated.
   */
  public static Scope lockScope(Connection c, long userPk) throws SQLException {
    Scope scope = lockAndRead(c, userPk);
    if (scope == null) {
      try (PreparedStatement ps = c.prepareStatement(INSERT_SCOPE)) {
        ps.setLong(1, userPk);
        ps.executeUpdate();
      }
      scope = lockAndRead(c, userPk);
    }
    return expireStaleLease(c, scope);
  }

  @HotStatement
  static final String SCOPE_OF_USER_FOR_UPDATE =
      "SELECT s.state_code, s.initializer_source_id, s.initialization_id::text,"
          + " s.lease_expires_at, now(), u.user_pk FROM sync.user_state u"
          + " JOIN sync.scope_state s ON s.user_pk = u.user_pk"
          + " WHERE u.user_id = ? FOR UPDATE OF s";

  /**
   * Takes the user's lock, then its scope row, locked, with the user created on first use: one
   * round trip for a user that has written before.
   */
  public static Scope lockUserAndScope(Connection c, String userId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(LOCK_USER + "; " + SCOPE_OF_USER_FOR_UPDATE)) {
      ps.setString(1, userId);
      ps.setString(2, userId);
      try (ResultSet rs = Database.secondResult(ps)) {
        if (rs.next()) {
          return expireStaleLease(c, scope(rs.getLong(6), rs));
        }
      }
    }
    return lockScope(c, ensureUser(c, userId));
  }

  @HotStatement
  static final String EXPIRE_STALE_LEASE =
      "UPDATE sync.scope_state SET state_code = 0, initializer_source_id = NULL, initialization_id = NULL,"
          + " lease_expires_at = NULL WHERE user_pk = ?";

  /** A lease that ran out makes the scope uninitialized again (§6.3). */
  private static Scope expireStaleLease(Connection c, Scope scope) throws SQLException {
    if (scope.state() == INITIALIZING && !scope.leaseExpiresAt().isAfter(scope.now())) {
      try (PreparedStatement ps = c.prepareStatement(EXPIRE_STALE_LEASE)) {
        ps.setLong(1, scope.userPk());
        ps.executeUpdate();
      }
      return new Scope(scope.userPk(), UNINITIALIZED, null, null, null, scope.now());
    }
    return scope;
  }

  @HotStatement
  static final String SCOPE_FOR_UPDATE =
      "SELECT state_code, initializer_source_id, initialization_id::text, lease_expires_at, now()"
          + " FROM sync.scope_state WHERE user_pk = ? FOR UPDATE";

  private static Scope lockAndRead(Connection c, long userPk) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SCOPE_FOR_UPDATE)) {
      ps.setLong(1, userPk);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? scope(userPk, rs) : null;
      }
    }
  }

  private static Scope scope(long userPk, ResultSet rs) throws SQLException {
    return new Scope(
        userPk,
        rs.getShort(1),
        rs.getString(2),
        rs.getString(3),
        rs.getObject(4, OffsetDateTime.class),
        rs.getObject(5, OffsetDateTime.class));
  }

  @HotStatement
  static final String SCOPE =
      "SELECT state_code, initializer_source_id, initialization_id::text, lease_expires_at, now()"
          + " FROM sync.scope_state WHERE user_pk = ?";

  static Scope read(Connection c, long userPk) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SCOPE)) {
      ps.setLong(1, userPk);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return new Scope(userPk, UNINITIALIZED, null, null, null, null);
        }
        return scope(userPk, rs);
      }
    }
  }

  /** Makes the current transaction one consistent snapshot of the database (rowsync.md §7.2). */
  public static void repeatableRead(Connection c, boolean readOnly) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ" + (readOnly ? ", READ ONLY" : ""));
    }
  }

  /** The user's user_pk, when its scope is initialized; the read paths' scope errors otherwise. */
  public static long requireInitializedUser(Connection c, String userId) throws SQLException {
    java.util.OptionalLong user = findUser(c, userId);
    if (user.isEmpty()) {
      throw SyncError.SCOPE_UNINITIALIZED.exception("scope is not initialized; connect first");
    }
    requireInitialized(c, user.getAsLong());
    return user.getAsLong();
  }

  @HotStatement
  static final String LATEST_BUNDLE_SEQ =
      "SELECT next_bundle_seq - 1 FROM sync.user_state WHERE user_pk = ?";

  /** The newest committed bundle of a user (0 before the first). */
  public static long latestBundleSeq(Connection c, long userPk) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(LATEST_BUNDLE_SEQ)) {
      ps.setLong(1, userPk);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @HotStatement
  static final String REQUIRE_INITIALIZED =
      "SELECT state_code, lease_expires_at <= now() FROM sync.scope_state WHERE user_pk = ?";

  /**
   * The non-locking scope check of the read paths (rowsync.md §6.4): an expired lease reads as
   * uninitialized, an active one as initializing.
   */
  public static void requireInitialized(Connection c, long userPk) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(REQUIRE_INITIALIZED)) {
      ps.setLong(1, userPk);
      try (ResultSet rs = ps.executeQuery()) {
        int state = rs.next() ? rs.getShort(1) : UNINITIALIZED;
        if (state == INITIALIZED) {
          return;
        }
        if (state == INITIALIZING && !rs.getBoolean(2)) {
          throw SyncError.SCOPE_INITIALIZING.exception(
              "scope is being initialized by another source");
        }
        throw SyncError.SCOPE_UNINITIALIZED.exception("scope is not initialized; connect first");
      }
    }
  }

  @HotStatement
  static final String START_INITIALIZING =
      "UPDATE sync.scope_state SET state_code = 1, initializer_source_id = ?, initialization_id = ?::uuid,"
          + " lease_expires_at = now() + ? * interval '1 second', initialized_at = NULL,"
          + " initialized_by_source_id = NULL WHERE user_pk = ?";

  /** UNINITIALIZED → INITIALIZING for {@code sourceId}, with a new initialization id. */
  public static Scope startInitializing(
      Connection c, long userPk, String sourceId, long leaseSeconds) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(START_INITIALIZING)) {
      ps.setString(1, sourceId);
      ps.setString(2, UUID.randomUUID().toString());
      ps.setLong(3, leaseSeconds);
      ps.setLong(4, userPk);
      ps.executeUpdate();
    }
    return read(c, userPk);
  }

  @HotStatement
  static final String REFRESH_LEASE =
      "UPDATE sync.scope_state SET lease_expires_at = now() + ? * interval '1 second'"
          + " WHERE user_pk = ? AND state_code = 1";

  public static Scope refreshLease(Connection c, long userPk, long leaseSeconds)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(REFRESH_LEASE)) {
      ps.setLong(1, leaseSeconds);
      ps.setLong(2, userPk);
      ps.executeUpdate();
    }
    return read(c, userPk);
  }

  @HotStatement
  static final String MARK_INITIALIZED =
      "UPDATE sync.scope_state SET state_code = 2, initializer_source_id = NULL, initialization_id = NULL,"
          + " lease_expires_at = NULL, initialized_at = now(), initialized_by_source_id = ?"
          + " WHERE user_pk = ?";

  public static void markInitialized(Connection c, long userPk, String sourceId)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(MARK_INITIALIZED)) {
      ps.setString(1, sourceId);
      ps.setLong(2, userPk);
      ps.executeUpdate();
    }
  }

  /**
   * Validates a request or session carrying an initialization id against the locked scope and
   * refreshes the lease (§6.3).
   */
  public static void checkLease(
      Connection c, Scope scope, String sourceId, String initializationId, long leaseSeconds)
      throws SQLException {
    if (scope.state() != INITIALIZING
        || !sourceId.equals(scope.initializerSourceId())
        || !initializationId.equalsIgnoreCase(scope.initializationId())) {
      throw SyncError.INITIALIZATION_STALE.exception(
          "initialization is no longer owned by this source");
    }
    if (!scope.leaseExpiresAt().isAfter(scope.now())) {
      throw SyncError.INITIALIZATION_EXPIRED.exception("initialization lease expired");
    }
    refreshLease(c, scope.userPk(), leaseSeconds);
  }
}
