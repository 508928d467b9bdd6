package io.sealsync.rowsync.read;

import io.sealsync.platform.JsonFactory;
import io.sealsync.platform.db.Database;
import io.sealsync.platform.db.HotStatement;
import io.sealsync.rowsync.RowSyncSettings;
import io.sealsync.rowsync.ScopeStore;
import io.sealsync.rowsync.SourceReplacement;
import io.sealsync.rowsync.SourceStore;
import io.sealsync.rowsync.SqlNames;
import io.sealsync.rowsync.SyncActor;
import io.sealsync.rowsync.SyncError;
import io.sealsync.rowsync.SyncFailures;
import io.sealsync.rowsync.codec.BundleRow;
import io.sealsync.rowsync.codec.GoTime;
import io.sealsync.rowsync.codec.StagedRow;
import io.sealsync.rowsync.schema.RegisteredTable;
import io.sealsync.rowsync.schema.RegisteredTables;
import io.sealsync.rowsync.schema.RowSyncRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Frozen snapshot sessions (rowsync.md §14): one consistent copy of a user's live rows, read in
 * pages, for first sync and rebuilds; optionally rotating the client's source id.
 */
@ApplicationScoped
public class SnapshotSessions {
  public static final int DEFAULT_ROWS = 1000;
  public static final int MAX_ROWS = 5000;

  @Inject Database db;
  @Inject RowSyncRuntime runtime;

  @Inject RowSyncSettings settings;

  @HotStatement
  static final String INSERT_SESSION =
      "INSERT INTO sync.snapshot_sessions (snapshot_id, user_pk, snapshot_bundle_seq, expires_at)"
          + " VALUES (?::uuid, ?, ?, now() + ? * interval '1 second') RETURNING expires_at";

  @HotStatement
  static final String COUNT_ROWS =
      "UPDATE sync.snapshot_sessions s SET row_count = x.n, byte_count = x.b FROM"
          + " (SELECT count(*) AS n, coalesce(sum(octet_length(payload_wire::text)), 0) AS b"
          + " FROM sync.snapshot_session_rows WHERE snapshot_id = ?::uuid) x"
          + " WHERE s.snapshot_id = ?::uuid RETURNING x.b";

  /** A validated {@code source_replacement}. */
  @Transactional
  public String create(SyncActor actor, SourceReplacement replacement) {
    try (Connection c = db.connection()) {
      // Expired sessions are cleared by ExpiredSessionSweeper, not here: deleting other users'
      // rows in this REPEATABLE READ transaction made concurrent creates fail to serialize.
      ScopeStore.repeatableRead(c, false);
      ScopeStore.utc(c);
      long userPk = ScopeStore.requireInitializedUser(c, actor.userId());
      if (replacement != null) {
        SourceStore.replace(c, userPk, replacement);
      }
      long snapshotSeq = ScopeStore.latestBundleSeq(c, userPk);
      UUID id = UUID.randomUUID();
      OffsetDateTime expires;
      try (PreparedStatement ps = c.prepareStatement(INSERT_SESSION)) {
        ps.setString(1, id.toString());
        ps.setLong(2, userPk);
        ps.setLong(3, snapshotSeq);
        ps.setLong(4, RowSyncSettings.SESSION_TTL.toSeconds());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          expires = rs.getObject(1, OffsetDateTime.class);
        }
      }
      long rows = 0;
      // Right after a user's first large push the planner's statistics still say its rows and row
      // states are few, and a nested loop over them made a 7,000-row snapshot take 15 s. A hash
      // or merge join is right at every size here, so the plan does not hang on statistics.
      try (Statement st = c.createStatement()) {
        st.execute("SET LOCAL enable_nestloop = off");
      }
      for (RegisteredTable t : runtime.tables()) {
        rows += materialize(c, id, userPk, actor.userId(), t, rows);
      }
      try (Statement st = c.createStatement()) {
        st.execute("SET LOCAL enable_nestloop TO DEFAULT");
      }
      long bytes;
      try (PreparedStatement ps = c.prepareStatement(COUNT_ROWS)) {
        ps.setString(1, id.toString());
        ps.setString(2, id.toString());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          bytes = rs.getLong(1);
        }
      }
      if (settings.maxRowsPerSnapshotSession() > 0 && rows > settings.maxRowsPerSnapshotSession()) {
        throw SyncError.SNAPSHOT_SESSION_TOO_LARGE.exception(
            "snapshot of "
                + rows
                + " rows exceeds sealsync.rowsync.max-rows-per-snapshot-session "
                + settings.maxRowsPerSnapshotSession());
      }
      if (settings.maxBytesPerSnapshotSession() > 0
          && bytes > settings.maxBytesPerSnapshotSession()) {
        throw SyncError.SNAPSHOT_SESSION_TOO_LARGE.exception(
            "snapshot of "
                + bytes
                + " bytes exceeds sealsync.rowsync.max-bytes-per-snapshot-session "
                + settings.maxBytesPerSnapshotSession());
      }
      JsonObjectBuilder out =
          JsonFactory.object()
              .add("snapshot_id", id.toString())
              .add("snapshot_bundle_seq", snapshotSeq)
              .add("row_count", rows);
      if (bytes > 0) {
        out.add("byte_count", bytes);
      }
      return out.add("expires_at", GoTime.format(expires)).build().toString();
    } catch (SQLException e) {
      throw SyncFailures.server(SyncError.SNAPSHOT_SESSION_CREATE_FAILED, e);
    }
  }

  @HotStatement
  static final String LIVE_ROW_STATES =
      "SELECT count(*) FROM sync.row_state WHERE user_pk = ? AND table_id = ? AND NOT deleted";

  /** The count of the user's business rows in {@code t}; parameter user id. */
  @HotStatement
  static String businessRowsSql(RegisteredTable t) {
    return "SELECT count(*) FROM " + t.sqlName() + " b WHERE b._sync_scope_id = ?";
  }

  /**
   * Copies the user's live rows of {@code t}, numbered by key bytes; parameters snapshot id,
   * ordinal offset, table id, user_pk, table id, user id.
   */
  @HotStatement
  static String materializeSql(RegisteredTable t) {
    String key = "b." + SqlNames.quote(t.keyColumn());
    String keyBytes =
        t.keyKind() == RegisteredTable.KeyKind.UUID
            ? "uuid_send(" + key + ")"
            : "convert_to(" + key + ", 'UTF8')";
    // bytea values travel as base64 (§10.2); PostgreSQL's encoder wraps lines, the wire does not.
    String payload = "to_jsonb(b) - '_sync_scope_id'";
    String bytea =
        t.columnTypes().entrySet().stream()
            .filter(e -> e.getValue().equals("bytea"))
            .map(
                e ->
                    "jsonb_build_object('"
                        + e.getKey()
                        + "', translate(encode(b."
                        + SqlNames.quote(e.getKey())
                        + ", 'base64'), E'\\n', ''))")
            .collect(Collectors.joining(" || "));
    if (!bytea.isEmpty()) {
      payload = "(" + payload + ") || jsonb_strip_nulls(" + bytea + ")";
    }
    return "INSERT INTO sync.snapshot_session_rows (snapshot_id, row_ordinal, table_id, key_bytes, bundle_seq,"
        + " payload_wire) SELECT ?::uuid, ? + row_number() OVER (ORDER BY x.kb), ?, x.kb, x.seq, x.payload"
        + " FROM (SELECT "
        + keyBytes
        + " AS kb, rs.bundle_seq AS seq, ("
        + payload
        + ")::json AS payload"
        + " FROM "
        + t.sqlName()
        + " b JOIN sync.row_state rs ON rs.user_pk = ? AND rs.table_id = ?"
        + " AND rs.key_bytes = "
        + keyBytes
        + " AND NOT rs.deleted WHERE b._sync_scope_id = ?) x";
  }

  /**
   * Copies one table's live rows with their row versions, ordered by key bytes, and fails closed
   * when business rows and row state disagree (§14.1 steps 5 to 7).
   */
  private static long materialize(
      Connection c, UUID id, long userPk, String userId, RegisteredTable t, long offset)
      throws SQLException {
    long business;
    try (PreparedStatement ps = c.prepareStatement(businessRowsSql(t))) {
      ps.setString(1, userId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        business = rs.getLong(1);
      }
    }
    long live;
    try (PreparedStatement ps = c.prepareStatement(LIVE_ROW_STATES)) {
      ps.setLong(1, userPk);
      ps.setInt(2, t.tableId());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        live = rs.getLong(1);
      }
    }
    long inserted;
    try (PreparedStatement ps = c.prepareStatement(materializeSql(t))) {
      ps.setString(1, id.toString());
      ps.setLong(2, offset);
      ps.setInt(3, t.tableId());
      ps.setLong(4, userPk);
      ps.setInt(5, t.tableId());
      ps.setString(6, userId);
      inserted = ps.executeUpdate();
    }
    if (inserted != business || inserted != live) {
      throw SyncFailures.server(
          SyncError.SNAPSHOT_SESSION_CREATE_FAILED,
          "row state of "
              + t.spec().qualifiedName()
              + " disagrees with its rows for user "
              + userId
              + " ("
              + business
              + " rows, "
              + live
              + " live row states, "
              + inserted
              + " matched)");
    }
    return inserted;
  }

  @HotStatement
  static final String ROW_PAGE =
      "SELECT table_id, key_bytes, bundle_seq, payload_wire::text FROM sync.snapshot_session_rows"
          + " WHERE snapshot_id = ?::uuid AND row_ordinal > ? ORDER BY row_ordinal LIMIT ?";

  @Transactional
  public String chunk(SyncActor actor, String snapshotId, long after, int maxRows) {
    try (Connection c = db.connection()) {
      ScopeStore.repeatableRead(c, true);
      long snapshotSeq = lockOwn(c, actor, snapshotId, true);
      StringBuilder sb = new StringBuilder(8192).append("{\"snapshot_id\":\"").append(snapshotId);
      sb.append("\",\"snapshot_bundle_seq\":").append(snapshotSeq).append(",\"rows\":[");
      int returned = 0;
      boolean more = false;
      try (PreparedStatement ps = c.prepareStatement(ROW_PAGE)) {
        ps.setString(1, snapshotId);
        ps.setLong(2, after);
        ps.setInt(3, maxRows + 1);
        RegisteredTables tables = runtime.registry();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (returned == maxRows) {
              more = true;
              break;
            }
            RegisteredTable t = tables.table(rs.getInt(1));
            if (returned > 0) {
              sb.append(',');
            }
            new BundleRow(
                    t,
                    BundleRow.keyText(t, rs.getBytes(2)),
                    StagedRow.Op.INSERT,
                    rs.getLong(3),
                    rs.getString(4))
                .writeSnapshotJson(sb);
            returned++;
          }
        }
      }
      return sb.append("],\"next_row_ordinal\":")
          .append(after + returned)
          .append(",\"has_more\":")
          .append(more)
          .append('}')
          .toString();
    } catch (SQLException e) {
      throw SyncFailures.server(SyncError.SNAPSHOT_CHUNK_FAILED, e);
    }
  }

  @HotStatement
  static final String DELETE_SESSION =
      "DELETE FROM sync.snapshot_sessions WHERE snapshot_id = ?::uuid";

  @Transactional
  public void delete(SyncActor actor, String snapshotId) {
    try (Connection c = db.connection()) {
      lockOwn(c, actor, snapshotId, false);
      try (PreparedStatement ps = c.prepareStatement(DELETE_SESSION)) {
        ps.setString(1, snapshotId);
        ps.executeUpdate();
      }
    } catch (SQLException e) {
      throw SyncFailures.server(SyncError.SNAPSHOT_SESSION_DELETE_FAILED, e);
    }
  }

  @HotStatement
  static final String OWNER =
      "SELECT u.user_id, s.snapshot_bundle_seq, s.expires_at <= now() FROM sync.snapshot_sessions s"
          + " JOIN sync.user_state u ON u.user_pk = s.user_pk WHERE s.snapshot_id = ?::uuid";

  /** 404 for unknown or non-UUID ids, 403 for another user's, 410 when expired (if checked). */
  private static long lockOwn(Connection c, SyncActor actor, String snapshotId, boolean checkExpiry)
      throws SQLException {
    try {
      UUID.fromString(snapshotId);
    } catch (IllegalArgumentException e) {
      throw SyncError.SNAPSHOT_SESSION_NOT_FOUND.exception("snapshot session not found");
    }
    try (PreparedStatement ps = c.prepareStatement(OWNER)) {
      ps.setString(1, snapshotId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw SyncError.SNAPSHOT_SESSION_NOT_FOUND.exception("snapshot session not found");
        }
        if (!rs.getString(1).equals(actor.userId())) {
          throw SyncError.SNAPSHOT_SESSION_FORBIDDEN.exception(
              "snapshot session belongs to another user");
        }
        if (checkExpiry && rs.getBoolean(3)) {
          throw SyncError.SNAPSHOT_SESSION_EXPIRED.exception("snapshot session expired");
        }
        return rs.getLong(2);
      }
    }
  }
}
