package io.sealsync.rowsync.push;

import io.sealsync.platform.db.Database;
import io.sealsync.platform.db.HotStatement;
import io.sealsync.rowsync.ScopeStore;
import io.sealsync.rowsync.SyncActor;
import io.sealsync.rowsync.SyncError;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** A push session row, read and locked under its user's lock (rowsync.md §8.2-§8.4). */
record LockedPushSession(
    UUID pushId,
    long userPk,
    String sourceId,
    long sourceBundleId,
    long plannedRowCount,
    long nextExpected,
    String initializationId) {

  @HotStatement
  static final String SESSION_FOR_UPDATE =
      "SELECT p.user_pk, u.user_id, p.source_id, p.source_bundle_id,"
          + " p.planned_row_count, p.next_expected_row_ordinal, p.initialization_id::text,"
          + " p.expires_at <= now()"
          + " FROM sync.push_sessions p JOIN sync.user_state u ON u.user_pk = p.user_pk"
          + " WHERE p.push_id = ?::uuid FOR UPDATE OF p";

  /**
   * Takes the user's lock, then locks the session: 404 unknown, 403 another user's, 410 expired
   * (when {@code checkExpiry}); with {@code checkStaged}, the staged rows checked for a commit
   * (§8.3). One round trip; the session is read after the user lock is held.
   */
  static LockedPushSession lock(
      Connection c, SyncActor actor, String pushId, boolean checkExpiry, boolean checkStaged)
      throws SQLException {
    UUID id;
    try {
      id = UUID.fromString(pushId);
    } catch (IllegalArgumentException e) {
      throw SyncError.PUSH_SESSION_NOT_FOUND.exception("push session not found");
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            ScopeStore.LOCK_USER
                + "; "
                + SESSION_FOR_UPDATE
                + (checkStaged ? "; " + STAGED_COUNTS : ""))) {
      ps.setString(1, actor.userId());
      ps.setString(2, id.toString());
      if (checkStaged) {
        ps.setString(3, id.toString());
      }
      LockedPushSession session;
      try (ResultSet rs = Database.secondResult(ps)) {
        if (!rs.next()) {
          throw SyncError.PUSH_SESSION_NOT_FOUND.exception("push session not found");
        }
        if (!rs.getString(2).equals(actor.userId())) {
          throw SyncError.PUSH_SESSION_FORBIDDEN.exception("push session belongs to another user");
        }
        if (checkExpiry && rs.getBoolean(8)) {
          throw SyncError.PUSH_SESSION_EXPIRED.exception("push session expired");
        }
        session =
            new LockedPushSession(
                id,
                rs.getLong(1),
                rs.getString(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getLong(6),
                rs.getString(7));
      }
      if (checkStaged) {
        if (!ps.getMoreResults()) {
          throw new SQLException("the staged rows' counts are missing");
        }
        try (ResultSet rs = ps.getResultSet()) {
          checkStaged(rs, session);
        }
      }
      return session;
    }
  }

  /** A session of an initializing scope holds the lease: checked and extended (§6.3). */
  void checkLease(Connection c, long leaseSeconds) throws SQLException {
    if (initializationId != null) {
      ScopeStore.checkLease(
          c, ScopeStore.lockScope(c, userPk), sourceId, initializationId, leaseSeconds);
    }
  }

  @HotStatement
  static final String STAGED_COUNTS =
      "SELECT count(*), coalesce(min(row_ordinal), -1), coalesce(max(row_ordinal), -1),"
          + " count(DISTINCT (table_id, key_bytes))"
          + " FROM sync.push_session_rows WHERE push_id = ?::uuid";

  /** The staged rows against the session: count, contiguous ordinals, one row per target. */
  private static void checkStaged(ResultSet rs, LockedPushSession s) throws SQLException {
    rs.next();
    long count = rs.getLong(1);
    if (count != s.plannedRowCount() || s.nextExpected() != s.plannedRowCount()) {
      throw SyncError.PUSH_COMMIT_INVALID.exception(
          "staged row count " + count + " does not match planned_row_count " + s.plannedRowCount());
    }
    if (rs.getLong(2) != 0 || rs.getLong(3) != count - 1) {
      throw SyncError.PUSH_COMMIT_INVALID.exception(
          "staged row ordinals are not contiguous from 0");
    }
    if (rs.getLong(4) != count) {
      throw SyncError.PUSH_COMMIT_INVALID.exception("duplicate target row in staged push session");
    }
  }
}
