package io.sealsync.rowsync.push;

import io.sealsync.platform.JsonFactory;
import io.sealsync.platform.db.Database;
import io.sealsync.platform.db.HotStatement;
import io.sealsync.rowsync.RowSyncSettings;
import io.sealsync.rowsync.ScopeStore;
import io.sealsync.rowsync.SourceStore;
import io.sealsync.rowsync.SyncActor;
import io.sealsync.rowsync.SyncError;
import io.sealsync.rowsync.SyncFailures;
import io.sealsync.rowsync.SyncRetries;
import io.sealsync.rowsync.codec.Bundle;
import io.sealsync.rowsync.codec.StagedRow;
import io.sealsync.rowsync.schema.InitializationLease;
import io.sealsync.rowsync.schema.RowSyncRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Staged push sessions (rowsync.md §8): create, chunk upload, atomic commit into one bundle,
 * delete. Every method is one transaction under the user's lock; {@link SyncRetries} retries
 * transient failures around it.
 */
@ApplicationScoped
public class PushSessionService {

  @Inject Database db;
  @Inject RowSyncRuntime runtime;
  @Inject BundleCommit bundleCommit;
  @Inject InitializationLease lease;

  // ---- create (§8.1) ----

  @HotStatement
  static final String DELETE_SUPERSEDED_SESSIONS =
      "DELETE FROM sync.push_sessions WHERE user_pk = ?"
          + " AND ((source_id = ? AND source_bundle_id = ?) OR expires_at <= now())";

  @HotStatement
  static final String INSERT_SESSION =
      "INSERT INTO sync.push_sessions (push_id, user_pk, source_id, source_bundle_id,"
          + " planned_row_count, next_expected_row_ordinal, initialization_id, expires_at)"
          + " VALUES (?::uuid, ?, ?, ?, ?, 0, ?::uuid, now() + ? * interval '1 second')";

  @Transactional
  public String create(
      SyncActor actor, long sourceBundleId, long plannedRowCount, String initializationId) {
    try (Connection c = db.connection()) {
      ScopeStore.Scope scope = ScopeStore.lockUserAndScope(c, actor.userId());
      long userPk = scope.userPk();
      boolean hasInit = initializationId != null && !initializationId.isEmpty();
      switch (scope.state()) {
        case ScopeStore.UNINITIALIZED -> {
          if (hasInit) {
            throw SyncError.INITIALIZATION_EXPIRED.exception("initialization lease expired");
          }
          throw SyncError.SCOPE_UNINITIALIZED.exception("scope is not initialized; connect first");
        }
        case ScopeStore.INITIALIZING -> {
          if (!hasInit) {
            throw SyncError.PUSH_SESSION_INVALID.exception(
                "initialization_id is required while the scope is initializing");
          }
          ScopeStore.checkLease(c, scope, actor.sourceId(), initializationId, lease.seconds());
        }
        default -> {
          if (hasInit) {
            throw SyncError.PUSH_SESSION_INVALID.exception(
                "initialization_id must be absent once the scope is initialized");
          }
        }
      }
      Bundle committed = committedTupleOrCheckSequence(c, userPk, actor.sourceId(), sourceBundleId);
      if (committed != null) {
        StringBuilder sb = new StringBuilder("{\"status\":\"already_committed\",");
        committed.writeMetadata(sb);
        return sb.append('}').toString();
      }
      // The tuple's earlier session and this user's expired ones go (only this user's rows, under
      // its lock, so concurrent users never contend; ExpiredSessionSweeper clears the rest), and
      // the new one comes, in one round trip.
      UUID pushId = UUID.randomUUID();
      try (PreparedStatement ps =
          c.prepareStatement(DELETE_SUPERSEDED_SESSIONS + "; " + INSERT_SESSION)) {
        ps.setLong(1, userPk);
        ps.setString(2, actor.sourceId());
        ps.setLong(3, sourceBundleId);
        ps.setString(4, pushId.toString());
        ps.setLong(5, userPk);
        ps.setString(6, actor.sourceId());
        ps.setLong(7, sourceBundleId);
        ps.setLong(8, plannedRowCount);
        ps.setString(9, hasInit ? initializationId : null);
        ps.setLong(10, RowSyncSettings.SESSION_TTL.toSeconds());
        Database.executeAll(ps);
      }
      return JsonFactory.object()
          .add("push_id", pushId.toString())
          .add("status", "staging")
          .add("planned_row_count", plannedRowCount)
          .build()
          .toString();
    } catch (SQLException e) {
      throw SyncFailures.server(SyncError.PUSH_SESSION_CREATE_FAILED, e);
    }
  }

  @HotStatement
  static final String COMMITTED_TUPLE =
      "SELECT b.bundle_seq, b.row_count, b.byte_count, b.bundle_hash FROM sync.bundle_log b"
          + " JOIN sync.user_state u ON u.user_pk = b.user_pk"
          + " WHERE b.user_pk = ? AND b.source_id = ? AND b.source_bundle_id = ?"
          + " AND b.bundle_seq > u.retained_bundle_floor";

  /**
   * The committed bundle of a source tuple, if it is still in retained history; otherwise the
   * source's sequence checked for a new bundle with that id (§8.1). One round trip.
   */
  private static Bundle committedTupleOrCheckSequence(
      Connection c, long userPk, String sourceId, long sourceBundleId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(COMMITTED_TUPLE + "; " + SourceStore.sequenceSql(false))) {
      ps.setLong(1, userPk);
      ps.setString(2, sourceId);
      ps.setLong(3, sourceBundleId);
      ps.setLong(4, userPk);
      ps.setString(5, sourceId);
      ps.execute();
      try (ResultSet rs = ps.getResultSet()) {
        if (rs.next()) {
          Bundle committed =
              new Bundle(
                  rs.getLong(1),
                  sourceId,
                  sourceBundleId,
                  rs.getLong(2),
                  rs.getLong(3),
                  HexFormat.of().formatHex(rs.getBytes(4)),
                  List.of());
          Database.drain(ps);
          return committed;
        }
      }
      if (!ps.getMoreResults()) {
        throw new SQLException("the source's sequence row is missing from the round trip");
      }
      try (ResultSet rs = ps.getResultSet()) {
        SourceStore.checkSequence(rs, sourceId, sourceBundleId, false);
      }
      return null;
    }
  }

  // ---- chunk (§8.2) ----

  @Transactional
  public String chunk(SyncActor actor, String pushId, PushChunk chunk) {
    try (Connection c = db.connection()) {
      LockedPushSession s = LockedPushSession.lock(c, actor, pushId, true, false);
      s.checkLease(c, lease.seconds());
      if (chunk.startRowOrdinal() != s.nextExpected()) {
        throw SyncError.PUSH_CHUNK_OUT_OF_ORDER.exception(
            "expected start_row_ordinal " + s.nextExpected() + ", got " + chunk.startRowOrdinal());
      }
      long next = chunk.startRowOrdinal() + chunk.rows().size();
      if (next > s.plannedRowCount()) {
        throw SyncError.PUSH_CHUNK_INVALID.exception("chunk exceeds planned_row_count");
      }
      stage(c, pushId, chunk, next);
      return JsonFactory.object()
          .add("push_id", pushId)
          .add("next_expected_row_ordinal", next)
          .build()
          .toString();
    } catch (SQLException e) {
      throw SyncFailures.server(SyncError.PUSH_CHUNK_FAILED, e);
    }
  }

  @HotStatement
  static final String STAGE_ROWS =
      "INSERT INTO sync.push_session_rows (push_id, row_ordinal, table_id, key_bytes, op_code,"
          + " base_bundle_seq, payload_apply) SELECT ?::uuid, r.* FROM"
          + " unnest(?::bigint[], ?::int[], ?::bytea[], ?::smallint[], ?::bigint[], ?::json[]) r";

  @HotStatement
  static final String ADVANCE_SESSION =
      "UPDATE sync.push_sessions SET next_expected_row_ordinal = ?,"
          + " expires_at = now() + ? * interval '1 second' WHERE push_id = ?::uuid";

  /**
   * The chunk's rows in one statement, and the session's next ordinal and expiry: one round trip
   * and one executor run for the whole chunk.
   */
  private static void stage(Connection c, String pushId, PushChunk chunk, long next)
      throws SQLException {
    int n = chunk.rows().size();
    Long[] ordinals = new Long[n];
    Integer[] tableIds = new Integer[n];
    byte[][] keys = new byte[n][];
    Short[] ops = new Short[n];
    Long[] bases = new Long[n];
    String[] payloads = new String[n];
    for (int i = 0; i < n; i++) {
      StagedRow r = chunk.rows().get(i);
      ordinals[i] = chunk.startRowOrdinal() + i;
      tableIds[i] = r.table().tableId();
      keys[i] = r.keyBytes();
      ops[i] = (short) r.op().code;
      bases[i] = r.baseRowVersion();
      payloads[i] = r.payloadApply();
    }
    try (PreparedStatement ps = c.prepareStatement(STAGE_ROWS + "; " + ADVANCE_SESSION)) {
      ps.setString(1, pushId);
      ps.setArray(2, c.createArrayOf("bigint", ordinals));
      ps.setArray(3, c.createArrayOf("int4", tableIds));
      ps.setArray(4, c.createArrayOf("bytea", keys));
      ps.setArray(5, c.createArrayOf("int2", ops));
      ps.setArray(6, c.createArrayOf("bigint", bases));
      ps.setArray(7, c.createArrayOf("json", payloads));
      ps.setLong(8, next);
      ps.setLong(9, RowSyncSettings.SESSION_TTL.toSeconds());
      ps.setString(10, pushId);
      Database.executeAll(ps);
    }
  }

  // ---- delete (§8.4) ----

  @HotStatement
  static final String DELETE_SESSION = "DELETE FROM sync.push_sessions WHERE push_id = ?::uuid";

  @Transactional
  public void delete(SyncActor actor, String pushId) {
    try (Connection c = db.connection()) {
      LockedPushSession s = LockedPushSession.lock(c, actor, pushId, true, false);
      try (PreparedStatement ps = c.prepareStatement(DELETE_SESSION)) {
        ps.setString(1, s.pushId().toString());
        ps.executeUpdate();
      }
    } catch (SQLException e) {
      throw SyncFailures.server(SyncError.PUSH_SESSION_DELETE_FAILED, e);
    }
  }

  // ---- commit (§8.3) ----

  @Transactional
  public Bundle commit(SyncActor actor, String pushId) {
    try (Connection c = db.connection()) {
      LockedPushSession s = LockedPushSession.lock(c, actor, pushId, true, true);
      s.checkLease(c, lease.seconds());
      Bundle bundle =
          bundleCommit.commit(
              c,
              new BundleCommit.Opening(
                  actor.userId(),
                  s.userPk(),
                  s.sourceId(),
                  s.sourceBundleId(),
                  s.initializationId()),
              true,
              conn ->
                  StagedApply.apply(
                      conn, runtime.registry(), s.pushId(), s.userPk(), actor.userId()),
              deleteSession(s.pushId()));
      if (bundle == null) {
        throw SyncError.PUSH_COMMIT_INVALID.exception(
            "push session produced no captured business-table effects");
      }
      if (s.initializationId() != null) {
        ScopeStore.markInitialized(c, s.userPk(), s.sourceId());
      }
      return bundle;
    } catch (SQLException e) {
      throw SyncFailures.server(SyncError.PUSH_SESSION_COMMIT_FAILED, e);
    }
  }

  /** The session (and its staged rows, by cascade) gone with the bundle's final round trip. */
  private static BundleFinalizer.Tail deleteSession(UUID pushId) {
    return new BundleFinalizer.Tail() {
      @Override
      public String sql() {
        return "; " + DELETE_SESSION;
      }

      @Override
      public int bind(PreparedStatement ps, int p) throws SQLException {
        ps.setString(p, pushId.toString());
        return p + 1;
      }
    };
  }
}
