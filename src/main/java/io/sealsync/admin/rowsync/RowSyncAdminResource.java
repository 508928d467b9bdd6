package io.sealsync.admin.rowsync;

import io.sealsync.admin.AdminDatabase;
import io.sealsync.admin.Paging;
import io.sealsync.platform.JsonBodies;
import io.sealsync.platform.Timestamps;
import io.sealsync.platform.db.HotStatement;
import io.sealsync.platform.errors.ApiException;
import io.sealsync.rowsync.schema.InitializationLease;
import io.sealsync.rowsync.schema.RegisteredTable;
import io.sealsync.rowsync.schema.RowSyncRuntime;
import io.sealsync.rowsync.state.RowSyncStateReads;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Row sync as an operator sees it: registered tables, retention, users with their scope, history,
 * sources and open sessions, and their recent bundles with the rows. Users are named by query
 * parameter ({@code user_id}), since a user id may hold any character.
 */
@Path("admin/rowsync")
@Produces(MediaType.APPLICATION_JSON)
public class RowSyncAdminResource {
  static final int MAX_USER_ID = 1024;
  static final int DETAIL_LIMIT = 100;

  @Inject AdminDatabase db;
  @Inject RowSyncRuntime runtime;
  @Inject InitializationLease lease;
  @Inject RowSyncStateReads state;

  public record Table(int tableId, String schema, String table, String keyColumn, String keyKind) {}

  public record Retention(long retainedBundlesPerUser, long pruneBatchSize) {}

  public record Settings(
      List<Table> registeredTables,
      Retention retention,
      long initializationLeaseSeconds,
      long openPushSessions,
      long openSnapshotSessions) {}

  public record User(
      long userPk,
      String userId,
      String scopeState,
      String initializedAt,
      String initializedBySource,
      String leaseExpiresAt,
      long latestBundleSeq,
      long retainedFloor,
      long retainedWindow,
      long activeSources,
      long retiredSources,
      long openPushSessions,
      long openSnapshotSessions,
      String lastBundleAt) {}

  public record Source(
      String sourceId,
      String state,
      long maxCommittedSourceBundleId,
      String replacedBy,
      String retirementReason) {}

  public record PushSession(
      String pushId,
      String sourceId,
      long sourceBundleId,
      long plannedRows,
      long nextRowOrdinal,
      String expiresAt) {}

  public record SnapshotSession(
      String snapshotId, long snapshotBundleSeq, long rows, long bytes, String expiresAt) {}

  public record UserDetail(
      User user,
      List<Source> sources,
      List<PushSession> pushSessions,
      List<SnapshotSession> snapshotSessions) {}

  public record BundleInfo(
      long bundleSeq,
      String sourceId,
      long sourceBundleId,
      long rowCount,
      long byteCount,
      String bundleHash,
      String committedAt) {}

  public record Bundles(String userId, List<BundleInfo> items, int limit, Long nextBefore) {}

  public record Row(long rowOrdinal, String table, String key, String op, JsonValue payload) {}

  public record Rows(String userId, long bundleSeq, List<Row> items, int limit, Long nextAfter) {}

  @HotStatement
  static final String HAS_SCHEMA = "SELECT to_regclass('sync.user_state') IS NOT NULL";

  private boolean hasSchema() {
    return Boolean.TRUE.equals(db.one(HAS_SCHEMA, rs -> rs.getBoolean(1)));
  }

  @HotStatement
  static final String OPEN_SESSIONS =
      "SELECT (SELECT count(*) FROM sync.push_sessions WHERE expires_at > now()),"
          + " (SELECT count(*) FROM sync.snapshot_sessions WHERE expires_at > now())";

  @GET
  public String settings() {
    List<Table> tables =
        runtime.tables().stream()
            .map(
                t ->
                    new Table(
                        t.tableId(),
                        t.schema(),
                        t.table(),
                        t.keyColumn(),
                        t.keyKind().name().toLowerCase(java.util.Locale.ROOT)))
            .toList();
    long[] sessions =
        hasSchema()
            ? db.one(OPEN_SESSIONS, rs -> new long[] {rs.getLong(1), rs.getLong(2)})
            : new long[] {0, 0};
    var config = ConfigProvider.getConfig();
    // The same settings and defaults as io.sealsync.rowsync.push.Retention applies.
    Retention retention =
        new Retention(
            config
                .getOptionalValue("sealsync.rowsync.retained-bundles-per-user", Long.class)
                .orElse(10000L),
            config
                .getOptionalValue("sealsync.rowsync.retention-prune-batch-size", Long.class)
                .orElse(1000L));
    return JsonBodies.toJson(
        new Settings(tables, retention, lease.seconds(), sessions[0], sessions[1]));
  }

  private static final String USER_SQL =
      "SELECT u.user_pk, u.user_id, s.state_code, s.initialized_at, s.initialized_by_source_id,"
          + " s.lease_expires_at, u.next_bundle_seq - 1, u.retained_bundle_floor,"
          + " (SELECT count(*) FROM sync.source_state x WHERE x.user_pk = u.user_pk"
          + " AND x.state = 'active'),"
          + " (SELECT count(*) FROM sync.source_state x WHERE x.user_pk = u.user_pk"
          + " AND x.state = 'retired'),"
          + " (SELECT count(*) FROM sync.push_sessions p WHERE p.user_pk = u.user_pk"
          + " AND p.expires_at > now()),"
          + " (SELECT count(*) FROM sync.snapshot_sessions p WHERE p.user_pk = u.user_pk"
          + " AND p.expires_at > now()),"
          + " (SELECT b.committed_at FROM sync.bundle_log b WHERE b.user_pk = u.user_pk"
          + " ORDER BY b.bundle_seq DESC LIMIT 1)"
          + " FROM sync.user_state u LEFT JOIN sync.scope_state s ON s.user_pk = u.user_pk";

  @HotStatement static final String USER_BY_ID = USER_SQL + " WHERE u.user_id = ?";

  private static final String USER_SEARCH = " WHERE u.user_id ILIKE ?";

  /** The number of users a search matches; parameter pattern. */
  @HotStatement
  static final String USER_SEARCH_COUNT = "SELECT count(*) FROM sync.user_state u" + USER_SEARCH;

  /** A page of users, newest first; parameters [pattern,] limit, offset. */
  @HotStatement
  static String userPageSql(boolean search) {
    return USER_SQL + (search ? USER_SEARCH : "") + " ORDER BY u.user_pk DESC LIMIT ? OFFSET ?";
  }

  private static User user(ResultSet rs) throws SQLException {
    long latest = rs.getLong(7);
    long floor = rs.getLong(8);
    return new User(
        rs.getLong(1),
        rs.getString(2),
        scopeState(AdminDatabase.longOrNull(rs, 3)),
        AdminDatabase.ts(rs, 4),
        rs.getString(5),
        AdminDatabase.ts(rs, 6),
        latest,
        floor,
        latest - floor,
        rs.getLong(9),
        rs.getLong(10),
        rs.getLong(11),
        rs.getLong(12),
        AdminDatabase.ts(rs, 13));
  }

  /** rowsync.md §9: 0 UNINITIALIZED, 1 INITIALIZING, 2 INITIALIZED; no row is uninitialized. */
  static String scopeState(Long code) {
    if (code == null || code == 0) {
      return "uninitialized";
    }
    return code == 1 ? "initializing" : code == 2 ? "initialized" : "unknown(" + code + ")";
  }

  @GET
  @Path("users")
  public String users(
      @QueryParam("q") String q,
      @QueryParam("limit") String limit,
      @QueryParam("offset") String offset) {
    String text = Paging.text("q", q);
    int n = Paging.limit(limit);
    long from = Paging.offset(offset);
    if (!hasSchema()) {
      return JsonBodies.toJson(new Paging.Page<>(List.of(), 0L, n, from, null));
    }
    Object[] filter = text == null ? new Object[0] : new Object[] {Paging.containsPattern(text)};
    Long total =
        text == null
            ? db.total("sync.user_state.rows")
            : db.one(USER_SEARCH_COUNT, rs -> rs.getLong(1), filter);
    Object[] params = java.util.Arrays.copyOf(filter, filter.length + 2);
    params[filter.length] = n;
    params[filter.length + 1] = from;
    List<User> items = db.list(userPageSql(text != null), RowSyncAdminResource::user, params);
    Long next = from + items.size() < total ? from + items.size() : null;
    return JsonBodies.toJson(new Paging.Page<>(items, total, n, from, next));
  }

  private User find(String rawUserId) {
    if (rawUserId == null
        || rawUserId.isEmpty()
        || rawUserId.length() > MAX_USER_ID
        || rawUserId.indexOf('\u0000') >= 0) {
      throw ApiException.badRequest(
          "'user_id' must be 1 to " + MAX_USER_ID + " characters, without U+0000");
    }
    User u = hasSchema() ? db.one(USER_BY_ID, RowSyncAdminResource::user, rawUserId) : null;
    if (u == null) {
      throw ApiException.notFound("no row-sync user " + rawUserId);
    }
    return u;
  }

  /** One user: scope, history, sources (active, retired, replaced by) and open sessions. */
  @GET
  @Path("user")
  public String user(@QueryParam("user_id") String userId) {
    User u = find(userId);
    List<Source> sources =
        state.sources(u.userPk(), DETAIL_LIMIT).stream()
            .map(
                x ->
                    new Source(
                        x.getSourceId(),
                        x.getState(),
                        x.getMaxCommittedSourceBundleId(),
                        x.getReplacedBySourceId(),
                        x.getRetirementReason()))
            .toList();
    List<PushSession> pushes =
        state.openPushSessions(u.userPk(), DETAIL_LIMIT).stream()
            .map(
                x ->
                    new PushSession(
                        x.getPushId(),
                        x.getSourceId(),
                        x.getSourceBundleId(),
                        x.getPlannedRowCount(),
                        x.getNextExpectedRowOrdinal(),
                        Timestamps.format(x.getExpiresAt())))
            .toList();
    List<SnapshotSession> snapshots =
        state.openSnapshotSessions(u.userPk(), DETAIL_LIMIT).stream()
            .map(
                x ->
                    new SnapshotSession(
                        x.getSnapshotId(),
                        x.getSnapshotBundleSeq(),
                        x.getRowCount(),
                        x.getByteCount(),
                        Timestamps.format(x.getExpiresAt())))
            .toList();
    return JsonBodies.toJson(new UserDetail(u, sources, pushes, snapshots));
  }

  @HotStatement
  static final String BUNDLE_PAGE =
      "SELECT bundle_seq, source_id, source_bundle_id, row_count, byte_count, bundle_hash,"
          + " committed_at FROM sync.bundle_log WHERE user_pk = ? AND bundle_seq < ?"
          + " ORDER BY bundle_seq DESC LIMIT ?";

  /** A user's retained bundles, newest first; {@code before} continues a page. */
  @GET
  @Path("user/bundles")
  public String bundles(
      @QueryParam("user_id") String userId,
      @QueryParam("limit") String limit,
      @QueryParam("before") String before) {
    int n = Paging.limit(limit);
    Long beforeSeq = Paging.cursor("before", before);
    User u = find(userId);
    List<BundleInfo> items =
        db.list(
            BUNDLE_PAGE,
            rs ->
                new BundleInfo(
                    rs.getLong(1),
                    rs.getString(2),
                    rs.getLong(3),
                    rs.getLong(4),
                    rs.getLong(5),
                    java.util.HexFormat.of().formatHex(rs.getBytes(6)),
                    AdminDatabase.ts(rs, 7)),
            u.userPk(),
            beforeSeq == null ? Long.MAX_VALUE : beforeSeq,
            n);
    Long next = items.size() == n ? items.get(items.size() - 1).bundleSeq() : null;
    return JsonBodies.toJson(new Bundles(u.userId(), items, n, next));
  }

  @HotStatement
  static final String BUNDLE_RETAINED =
      "SELECT TRUE FROM sync.bundle_log WHERE user_pk = ? AND bundle_seq = ?";

  @HotStatement
  static final String BUNDLE_ROW_PAGE =
      "SELECT row_ordinal, table_id, key_bytes, op_code, payload_wire::text"
          + " FROM sync.bundle_rows WHERE user_pk = ? AND bundle_seq = ? AND row_ordinal > ?"
          + " ORDER BY row_ordinal LIMIT ?";

  /** The rows of one retained bundle, in order; {@code after} (a row ordinal) continues a page. */
  @GET
  @Path("user/bundle-rows")
  public String rows(
      @QueryParam("user_id") String userId,
      @QueryParam("bundle_seq") String bundleSeq,
      @QueryParam("limit") String limit,
      @QueryParam("after") String after) {
    Long seq = Paging.cursor("bundle_seq", bundleSeq);
    if (seq == null) {
      throw ApiException.badRequest("'bundle_seq' is required");
    }
    int n = Paging.limit(limit);
    Long afterOrdinal = Paging.cursor("after", after);
    User u = find(userId);
    Boolean exists = db.one(BUNDLE_RETAINED, rs -> rs.getBoolean(1), u.userPk(), seq);
    if (exists == null) {
      throw ApiException.notFound("no retained bundle " + seq + " of user " + u.userId());
    }
    List<Row> items =
        db.list(
            BUNDLE_ROW_PAGE,
            rs -> row(rs),
            u.userPk(),
            seq,
            afterOrdinal == null ? -1L : afterOrdinal,
            n);
    Long next = items.size() == n ? items.get(items.size() - 1).rowOrdinal() : null;
    return JsonBodies.toJson(new Rows(u.userId(), seq, items, n, next));
  }

  private Row row(ResultSet rs) throws SQLException {
    RegisteredTable table;
    try {
      table = runtime.registry().table(rs.getInt(2));
    } catch (IllegalStateException noLongerRegistered) {
      table = null;
    }
    byte[] key = rs.getBytes(3);
    String keyText;
    String tableName;
    if (table == null) {
      tableName = "table " + rs.getInt(2);
      keyText = java.util.HexFormat.of().formatHex(key);
    } else {
      tableName = table.spec().qualifiedName();
      keyText =
          table.keyKind() == RegisteredTable.KeyKind.UUID && key.length == 16
              ? uuid(key)
              : new String(key, StandardCharsets.UTF_8);
    }
    int op = rs.getShort(4);
    String payload = rs.getString(5);
    return new Row(
        rs.getLong(1),
        tableName,
        keyText,
        op == 1 ? "INSERT" : op == 2 ? "UPDATE" : op == 3 ? "DELETE" : "op " + op,
        payload == null ? null : Json.createReader(new StringReader(payload)).readValue());
  }

  private static String uuid(byte[] key) {
    ByteBuffer b = ByteBuffer.wrap(key);
    return new UUID(b.getLong(), b.getLong()).toString();
  }
}
