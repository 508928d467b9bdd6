package io.sealsync.platform.db;

import io.sealsync.admin.audit.AuditLog;
import io.sealsync.platform.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The plan check of every {@link HotStatement}, with its parameters bound to the keys that {@code
 * plan-volume.sql} loads (the heavy tenant, account and user, mid-history cursors), as requests
 * bind them. {@link HotStatementsTest} keeps this list complete; {@link HotStatementPlansIT} runs
 * it. A statement whose plan may scan a table that grows says which table and why ({@link
 * Check#scans}); that list is short on purpose.
 */
final class PlanChecks {
  private PlanChecks() {}

  /**
   * Tables a plan may scan: fixed or tiny whatever the deployment's size (the layout's metadata,
   * one row per registered table, the row-sync counters' sequences, the kept totals' 64 shards per
   * total, the server's few secrets, Flyway's history).
   */
  static final Set<String> SMALL_FIXED_TABLES =
      Set.of(
          "sync.meta",
          "sync.table_catalog",
          "sync.history_pruned_error_seq",
          "sync.accepted_push_replay_seq",
          "sync.rejected_registered_write_seq",
          "public.usage_total",
          "public.server_secret",
          "public.flyway_schema_history");

  /** A parameter evaluated against the loaded database. */
  record Query(String sql) {}

  /**
   * One check: the statement ({@code member} of {@code owner}, built with {@code args} when it is a
   * method), the SQL to plan when the statement is JPQL ({@code sql}), the parameters, the settings
   * the product runs it with, and the growing tables it may scan (with why).
   */
  record Check(
      String owner,
      String member,
      Function<PlanDatabase, Object[]> args,
      String sql,
      List<Object> binds,
      List<String> settings,
      Map<String, String> scans) {
    String className() {
      return "io.sealsync." + owner;
    }

    String id() {
      return className() + "#" + member;
    }

    /** Allows a sequential scan of {@code table} in this plan, for the reason given. */
    Check scans(String table, String why) {
      Map<String, String> s = new LinkedHashMap<>(scans);
      s.put(table, why);
      return new Check(owner, member, args, sql, binds, settings, s);
    }

    /** A setting the product makes before the statement (SET LOCAL). */
    Check with(String setting) {
      List<String> s = new java.util.ArrayList<>(settings);
      s.add(setting);
      return new Check(owner, member, args, sql, binds, s, scans);
    }

    @Override
    public String toString() {
      return owner.substring(owner.lastIndexOf('.') + 1) + "." + member;
    }
  }

  static Check sql(String owner, String field, Object... binds) {
    return check(owner, field, null, null, binds);
  }

  static Check built(
      String owner, String method, Function<PlanDatabase, Object[]> args, Object... binds) {
    return check(owner, method, args, null, binds);
  }

  /**
   * A JPQL statement and the SQL its providers run for it (EclipseLink and Hibernate differ in
   * column lists and aliases, not in the tables, conditions and order that decide the plan).
   */
  static Check jpql(String owner, String field, String sql, Object... binds) {
    return check(owner, field, null, sql, binds);
  }

  static Check jpqlBuilt(
      String owner,
      String method,
      Function<PlanDatabase, Object[]> args,
      String sql,
      Object... binds) {
    return check(owner, method, args, sql, binds);
  }

  private static Check check(
      String owner,
      String member,
      Function<PlanDatabase, Object[]> args,
      String sql,
      Object[] binds) {
    return new Check(
        owner,
        member,
        args,
        sql,
        java.util.Collections.unmodifiableList(java.util.Arrays.asList(binds)),
        List.of(),
        Map.of());
  }

  // The keys plan-volume.sql loads.
  static final long TENANT = 2001L; // project tenant: 20,000 blocks, a 5,000-snapshot lineage
  static final long ACCOUNT = 1L; // account and its tenant: 50,000 ledger entries
  static final String USER = "user-1"; // 10,000 bundles, 10,000 rows, 41 sources
  static final Query USER_PK =
      new Query("SELECT user_pk FROM sync.user_state WHERE user_id = 'user-1'");
  static final Query TABLE_ID =
      new Query("SELECT table_id FROM sync.table_catalog WHERE table_name = 'users'");
  static final String PUSH = md5Uuid("push1"); // 2,000 staged rows
  static final String SNAPSHOT = md5Uuid("snapshot1"); // 10,000 rows
  static final String TOKEN_HASH = sha256Hex("project-2001");
  static final String KEY_HASH = sha256Hex("key-1");

  private static final String REPLACED = "source_replaced";

  /** The SQL of the JPQL snapshot receipts (columns as the providers select them). */
  private static final String RECEIPT_COLUMNS =
      "SELECT id, agent_id, sequence_number, storage_key, byte_size, cost_milli,"
          + " client_payload_hash, status, confirmed_at FROM agent_state_snapshots";

  private static final String SYNC_ONLY_SEARCH =
      "a substring search over user ids ('%text%', the console's filter): no B-tree index can"
          + " serve it, and it runs only when an operator searches; bounded by the number of users";

  static final List<Check> ALL =
      List.of(
          // ---- agent state: replicate, head, replay, snapshots
          sql("agentstate.ReplicationService", "LOCK_APPENDS", "replicate:" + TENANT),
          sql("agentstate.ReplicationService", "HEAD", TENANT),
          sql(
              "agentstate.ReplicationService",
              "STORED_HASHES",
              TENANT,
              new Long[] {9990L, 9991L, 9992L}),
          sql("agentstate.ReplicationService", "ENTRY", TENANT, 10000L),
          built(
              "agentstate.ReplicationService",
              "insertSql",
              db -> new Object[] {2},
              TENANT,
              20000L,
              "a".repeat(64),
              "b".repeat(64),
              new byte[32],
              32,
              TENANT,
              20001L,
              "c".repeat(64),
              "d".repeat(64),
              new byte[32],
              32),
          jpql(
              "agentstate.ReplicationService",
              "HEAD_JPQL",
              "SELECT sequence_number, merkle_root, created_at FROM replication_log"
                  + " WHERE tenant_id = ? ORDER BY sequence_number DESC LIMIT ?",
              TENANT,
              1),
          sql("agentstate.ReplayPages", "BATCH_SQL", TENANT, 10000L, 16),
          sql("agentstate.ReplayPages", "MORE_SQL", TENANT, 10000L),
          sql("agentstate.SnapshotService", "LOCK_LINEAGE", "snapshot:" + TENANT + ":heavy"),
          jpql(
              "agentstate.SnapshotService",
              "STORED",
              "SELECT * FROM agent_state_snapshots WHERE tenant_id = ? AND agent_id = ?"
                  + " AND sequence_number = ?",
              TENANT,
              "heavy",
              2500L),
          jpql(
              "agentstate.SnapshotService",
              "LATEST_SEQUENCE",
              "SELECT max(sequence_number) FROM agent_state_snapshots WHERE tenant_id = ?"
                  + " AND agent_id = ?",
              TENANT,
              "heavy"),
          jpql(
              "agentstate.SnapshotService",
              "LATEST",
              RECEIPT_COLUMNS
                  + " WHERE tenant_id = ? AND agent_id = ? AND status = 'confirmed'"
                  + " ORDER BY sequence_number DESC LIMIT ?",
              TENANT,
              "heavy",
              1),
          jpql(
              "agentstate.SnapshotService",
              "AT_SEQUENCE",
              RECEIPT_COLUMNS
                  + " WHERE tenant_id = ? AND agent_id = ? AND status = 'confirmed'"
                  + " AND sequence_number = ?",
              TENANT,
              "heavy",
              2500L),
          jpql(
              "agentstate.SnapshotService",
              "LINEAGE",
              "SELECT sequence_number, storage_key, parent_snapshot, client_payload_hash,"
                  + " confirmed_at FROM agent_state_snapshots WHERE tenant_id = ? AND agent_id = ?"
                  + " AND status = 'confirmed' ORDER BY sequence_number DESC LIMIT ?",
              TENANT,
              "heavy",
              100),
          jpql(
              "agentstate.SnapshotService",
              "CIPHERTEXT",
              "SELECT ciphertext FROM agent_state_snapshots WHERE id = ? AND status = 'confirmed'",
              new Query("SELECT md5('snap' || 2001 || 'heavy' || 2500)::uuid::text")),
          // ---- tenants, keys, billing
          jpql(
              "security.TenantDirectory",
              "PROJECT_TENANT",
              "SELECT id FROM tenant WHERE token_hash = ?",
              TOKEN_HASH),
          sql("security.TenantDirectory", "INSERT_PROJECT_TENANT", TOKEN_HASH),
          jpql(
              "security.TenantDirectory",
              "ACCOUNT_TENANT",
              "SELECT * FROM tenant WHERE account_id = ?",
              ACCOUNT),
          jpql("security.ApiKeys", "BY_HASH", "SELECT * FROM api_key WHERE key_hash = ?", KEY_HASH),
          jpql(
              "security.ApiKeys",
              "OF_ACCOUNT",
              "SELECT * FROM api_key WHERE account_id = ? ORDER BY id",
              ACCOUNT),
          sql("security.ApiKeys", "TOUCH", 1L),
          sql(
              "platform.db.UsageTotals",
              "READ",
              (Object) new String[] {"tenant.account.rows", "replication_log.rows"}),
          // ---- row sync: connect, push sessions, commit
          sql("rowsync.ScopeStore", "LOCK_USER", USER),
          sql("rowsync.ScopeStore", "ENSURE_USER", USER),
          sql("rowsync.ScopeStore", "FIND_USER", USER),
          sql("rowsync.ScopeStore", "INSERT_SCOPE", USER_PK),
          sql("rowsync.ScopeStore", "SCOPE_OF_USER_FOR_UPDATE", USER),
          sql("rowsync.ScopeStore", "EXPIRE_STALE_LEASE", USER_PK),
          sql("rowsync.ScopeStore", "SCOPE_FOR_UPDATE", USER_PK),
          sql("rowsync.ScopeStore", "SCOPE", USER_PK),
          sql("rowsync.ScopeStore", "LATEST_BUNDLE_SEQ", USER_PK),
          sql("rowsync.ScopeStore", "REQUIRE_INITIALIZED", USER_PK),
          sql("rowsync.ScopeStore", "START_INITIALIZING", "src-2", md5Uuid("init"), 600L, USER_PK),
          sql("rowsync.ScopeStore", "REFRESH_LEASE", 600L, USER_PK),
          sql("rowsync.ScopeStore", "MARK_INITIALIZED", "src-2", USER_PK),
          sql("rowsync.SourceStore", "NEXT_EXPECTED", USER_PK, "src-1"),
          sql("rowsync.SourceStore", "ACTIVATE_SQL", USER_PK, "src-1", 10001L),
          sql("rowsync.SourceStore", "REPLACE", USER_PK, "src-1", "src-2", REPLACED),
          sql("rowsync.SourceStore", "STATE", USER_PK, "src-1"),
          sql("rowsync.SourceStore", "INSERT_RESERVED", USER_PK, "src-2"),
          built("rowsync.SourceStore", "sequenceSql", db -> new Object[] {false}, USER_PK, "src-1"),
          built("rowsync.SourceStore", "sequenceSql", db -> new Object[] {true}, USER_PK, "src-1"),
          sql("rowsync.push.PushSessionService", "COMMITTED_TUPLE", USER_PK, "src-1", 7500L),
          sql(
              "rowsync.push.PushSessionService",
              "DELETE_SUPERSEDED_SESSIONS",
              USER_PK,
              "src-1",
              10001L),
          sql(
              "rowsync.push.PushSessionService",
              "INSERT_SESSION",
              md5Uuid("new push"),
              USER_PK,
              "src-1",
              10001L,
              100L,
              null,
              900L),
          sql(
              "rowsync.push.PushSessionService",
              "STAGE_ROWS",
              PUSH,
              new Long[] {0L},
              new Query(
                  "SELECT ARRAY[table_id] FROM sync.table_catalog WHERE table_name = 'users'"),
              new Query("SELECT ARRAY[uuid_send(md5('user-1:1')::uuid)]"),
              new Short[] {2},
              new Long[] {1L},
              new String[] {"{\"age\": 3}"}),
          sql("rowsync.push.PushSessionService", "ADVANCE_SESSION", 2000L, 900L, PUSH),
          sql("rowsync.push.PushSessionService", "DELETE_SESSION", PUSH),
          sql("rowsync.push.LockedPushSession", "SESSION_FOR_UPDATE", PUSH),
          sql("rowsync.push.LockedPushSession", "STAGED_COUNTS", PUSH),
          sql("rowsync.push.StagedApply", "PAGE_SQL", USER_PK, PUSH, 999L, 1000),
          sql(
              "rowsync.push.BundleContext",
              "READ_GUCS",
              "oversync.bundle_user_id",
              "oversync.bundle_user_pk",
              "oversync.bundle_source_id",
              "oversync.bundle_source_bundle_id",
              "oversync.bundle_initialization_id"),
          sql(
              "rowsync.push.BundleContext",
              "SET_GUCS",
              "oversync.bundle_user_id",
              USER,
              "oversync.bundle_user_pk",
              "1",
              "oversync.bundle_source_id",
              "src-1",
              "oversync.bundle_source_bundle_id",
              "10001",
              "oversync.bundle_initialization_id",
              ""),
          built(
              "rowsync.push.RowApplier",
              "insertSql",
              db -> new Object[] {db.table("demo.users"), Set.of("id", "email", "age")},
              USER,
              "[{\"id\": \""
                  + md5Uuid("new row")
                  + "\", \"email\": \"n@example.com\", \"age\": 1}]"),
          built(
              "rowsync.push.RowApplier",
              "updateSql",
              db -> new Object[] {db.table("demo.users"), Set.of("id", "age")},
              "[{\"id\": \"" + md5Uuid("user-1:5000") + "\", \"age\": 2}]",
              USER),
          built(
              "rowsync.push.RowApplier",
              "deleteSql",
              db -> new Object[] {db.table("demo.users")},
              md5Uuid("user-1:5000"),
              USER),
          built(
              "rowsync.push.Conflicts",
              "serverRowSql",
              db -> new Object[] {db.table("demo.users")},
              md5Uuid("user-1:5000"),
              USER),
          sql("rowsync.push.BundleFinalizer", "NEXT_BUNDLE_SEQ", USER_PK),
          sql("rowsync.push.BundleFinalizer", "TAKE_CAPTURES", USER_PK),
          sql("rowsync.push.BundleFinalizer", "ADVANCE_BUNDLE_SEQ", 10001L, USER_PK),
          sql(
              "rowsync.push.BundleFinalizer",
              "INSERT_BUNDLE",
              USER_PK,
              10001L,
              "src-1",
              10001L,
              1L,
              40L,
              new byte[32]),
          sql(
              "rowsync.push.BundleFinalizer",
              "INSERT_BUNDLE_ROWS",
              USER_PK,
              10001L,
              new Long[] {1L},
              new Query(
                  "SELECT ARRAY[table_id] FROM sync.table_catalog WHERE table_name = 'users'"),
              new Query("SELECT ARRAY[uuid_send(md5('user-1:1')::uuid)]"),
              new Short[] {2},
              new String[] {"{\"age\":3}"}),
          sql(
              "rowsync.push.BundleFinalizer",
              "UPSERT_ROW_STATES",
              USER_PK,
              10001L,
              new Query(
                  "SELECT ARRAY[table_id] FROM sync.table_catalog WHERE table_name = 'users'"),
              new Query("SELECT ARRAY[uuid_send(md5('user-1:1')::uuid)]"),
              new Boolean[] {false}),
          sql("rowsync.push.BundleFinalizer", "NOTIFY", "sealsync_bundles", "{}"),
          sql("rowsync.push.Retention", "PRUNE_SQL", 5000L, 1000L, USER_PK, 5000L, USER_PK),
          // ---- row sync: pull, committed bundle rows, snapshots, watch, status
          sql("rowsync.read.PullService", "USER_CURSOR", USER),
          sql("rowsync.read.PullService", "BUNDLE_PAGE", USER_PK, 5000L, 0L, 10000L, 1001),
          sql("rowsync.read.PullService", "PAGE_ROWS", USER_PK, 5001L, 6000L),
          sql("rowsync.read.CommittedBundles", "BUNDLE_AND_FLOOR", 7500L, USER_PK),
          sql("rowsync.read.CommittedBundles", "ROW_PAGE", USER_PK, 7500L, 0L, 1001),
          sql(
              "rowsync.read.SnapshotSessions",
              "INSERT_SESSION",
              md5Uuid("new snapshot"),
              USER_PK,
              10000L,
              900L),
          built(
              "rowsync.read.SnapshotSessions",
              "businessRowsSql",
              db -> new Object[] {db.table("demo.users")},
              USER),
          sql("rowsync.read.SnapshotSessions", "LIVE_ROW_STATES", USER_PK, TABLE_ID),
          // The product plans this one with nested loops off (SnapshotSessions.create says why).
          built(
                  "rowsync.read.SnapshotSessions",
                  "materializeSql",
                  db -> new Object[] {db.table("demo.users")},
                  md5Uuid("new snapshot"),
                  0L,
                  TABLE_ID,
                  USER_PK,
                  TABLE_ID,
                  USER)
              .with("enable_nestloop = off"),
          sql("rowsync.read.SnapshotSessions", "COUNT_ROWS", SNAPSHOT, SNAPSHOT),
          sql("rowsync.read.SnapshotSessions", "OWNER", SNAPSHOT),
          sql("rowsync.read.SnapshotSessions", "ROW_PAGE", SNAPSHOT, 5000L, 1001),
          sql("rowsync.read.SnapshotSessions", "DELETE_SESSION", SNAPSHOT),
          built(
              "rowsync.push.ExpiredSessionSweeper",
              "deleteExpiredSql",
              db -> new Object[] {"push_sessions", "push_id"},
              300L,
              1000),
          built(
              "rowsync.push.ExpiredSessionSweeper",
              "deleteExpiredSql",
              db -> new Object[] {"snapshot_sessions", "snapshot_id"},
              300L,
              1000),
          sql("rowsync.watch.BundleChangeListener", "PRIMARY_PROBE"),
          sql(
              "rowsync.watch.BundleChangeListener",
              "LATEST_OF_USERS",
              (Object) new Long[] {1L, 2L, 3L}),
          sql("rowsync.api.SyncCounters", "HISTORY_PRUNED"),
          sql("rowsync.api.SyncStatistics", "COUNTERS"),
          sql("rowsync.api.SyncStatistics", "USER_AGGREGATES")
              .scans(
                  "sync.user_state",
                  "the retention aggregates of /syncx/status over every user (rowsync.md §16.2),"
                      + " read at most once per status-refresh-interval per node; an index on the"
                      + " bundle numbers would cost every commit its in-page (HOT) update"),
          sql("rowsync.api.RowSyncMeters", "OPEN_SESSIONS"),
          // ---- operator API and console lists
          sql("admin.console.OverviewTotals", "SYNC_SCHEMA"),
          sql("admin.console.OverviewTotals", "LIVE_KEYS")
              .scans(
                  "public.api_key",
                  "counts every live key; where most keys are live, reading the table is the"
                      + " cheapest plan (a few keys per account), and api_key_live serves it once"
                      + " revoked keys dominate"),
          sql("admin.console.OverviewTotals", "OPEN_SESSIONS"),
          built("admin.AdminResource", "tenantPageSql", db -> new Object[] {false}, 50, 0L),
          built(
                  "admin.AdminResource",
                  "tenantPageSql",
                  db -> new Object[] {true},
                  "%account-12%",
                  "account-12",
                  50,
                  0L)
              .scans(
                  "public.account",
                  "a substring search over account names ('%text%', the console's tenant"
                      + " filter): no B-tree index can serve it, and it runs only when an operator"
                      + " searches; bounded by the number of accounts"),
          sql("admin.AdminResource", "TENANT_SEARCH_COUNT", "%account-12%", "account-12")
              .scans(
                  "public.account",
                  "the count of the same search (see tenantPageSql); without a search the total"
                      + " is kept (usage_total)"),
          sql("admin.AdminResource", "LEDGER", ACCOUNT, Long.MAX_VALUE, 100),
          sql("admin.AdminResource", "LEDGER", ACCOUNT, 25000L, 100),
          sql("admin.AdminResource", "BALANCE_HISTORY", ACCOUNT, Long.MAX_VALUE, 500),
          sql("admin.AdminService", "LOCK_NAME", "sealsync.account-name:account-3000"),
          jpql(
              "admin.AdminService",
              "NAME_TAKEN",
              "SELECT count(id) FROM account WHERE lower(name) = ?",
              "account-3000"),
          sql(
              "admin.agentstate.AgentStateAdminResource",
              "LOG_STATE",
              TENANT,
              TENANT,
              TENANT,
              TENANT,
              TENANT,
              TENANT),
          sql("admin.agentstate.AgentStateAdminResource", "AGENT_COUNT", TENANT),
          sql("admin.agentstate.AgentStateAdminResource", "AGENT_PAGE", TENANT, 50, 0L),
          sql(
              "admin.agentstate.AgentStateAdminResource",
              "LINEAGE_PAGE",
              TENANT,
              "heavy",
              2500L,
              50),
          sql("admin.agentstate.LogVerifier", "BATCH_SQL", TENANT, 10000L, 16),
          sql("admin.audit.AuditLog", "INSERT", "operator-1", "key.issue", "tenant 1", "ok", ""),
          jpqlBuilt(
              "admin.audit.AuditLog",
              "pageJpql",
              db -> new Object[] {new AuditLog.Filter(null, null, null, null, null, 50)},
              "SELECT * FROM operator_audit WHERE 1 = 1 ORDER BY id DESC LIMIT ?",
              50),
          jpqlBuilt(
              "admin.audit.AuditLog",
              "pageJpql",
              db -> new Object[] {new AuditLog.Filter("operator-1", null, null, null, 40000L, 50)},
              "SELECT * FROM operator_audit WHERE 1 = 1 AND actor = ? AND id < ?"
                  + " ORDER BY id DESC LIMIT ?",
              "operator-1",
              40000L,
              50),
          jpqlBuilt(
              "admin.audit.AuditLog",
              "pageJpql",
              db -> new Object[] {new AuditLog.Filter(null, "key.", null, null, null, 50)},
              "SELECT * FROM operator_audit WHERE 1 = 1 AND action LIKE ? ESCAPE '\\'"
                  + " ORDER BY id DESC LIMIT ?",
              "key.%",
              50),
          sql("admin.rowsync.RowSyncAdminResource", "HAS_SCHEMA"),
          sql("admin.rowsync.RowSyncAdminResource", "OPEN_SESSIONS"),
          built(
              "admin.rowsync.RowSyncAdminResource",
              "userPageSql",
              db -> new Object[] {false},
              50,
              0L),
          built(
                  "admin.rowsync.RowSyncAdminResource",
                  "userPageSql",
                  db -> new Object[] {true},
                  "%user-12%",
                  50,
                  0L)
              .scans("sync.user_state", SYNC_ONLY_SEARCH),
          sql("admin.rowsync.RowSyncAdminResource", "USER_SEARCH_COUNT", "%user-12%")
              .scans("sync.user_state", SYNC_ONLY_SEARCH),
          sql("admin.rowsync.RowSyncAdminResource", "USER_BY_ID", USER),
          sql("admin.rowsync.RowSyncAdminResource", "BUNDLE_PAGE", USER_PK, 7500L, 50),
          sql("admin.rowsync.RowSyncAdminResource", "BUNDLE_RETAINED", USER_PK, 7500L),
          sql("admin.rowsync.RowSyncAdminResource", "BUNDLE_ROW_PAGE", USER_PK, 7500L, 0L, 50),
          jpql(
              "rowsync.state.RowSyncStateReads",
              "USER",
              "SELECT * FROM sync.user_state WHERE user_id = ?",
              USER),
          jpql(
              "rowsync.state.RowSyncStateReads",
              "SOURCES",
              "SELECT * FROM sync.source_state WHERE user_pk = ? ORDER BY state, source_id LIMIT ?",
              USER_PK,
              50),
          jpql(
              "rowsync.state.RowSyncStateReads",
              "OPEN_PUSH_SESSIONS",
              "SELECT * FROM sync.push_sessions WHERE user_pk = ? AND expires_at > now()"
                  + " ORDER BY expires_at LIMIT ?",
              USER_PK,
              50),
          jpql(
              "rowsync.state.RowSyncStateReads",
              "OPEN_SNAPSHOT_SESSIONS",
              "SELECT * FROM sync.snapshot_sessions WHERE user_pk = ? AND expires_at > now()"
                  + " ORDER BY expires_at LIMIT ?",
              USER_PK,
              50));

  static String md5Uuid(String text) {
    try {
      String hex =
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
      return hex.substring(0, 8)
          + "-"
          + hex.substring(8, 12)
          + "-"
          + hex.substring(12, 16)
          + "-"
          + hex.substring(16, 20)
          + "-"
          + hex.substring(20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256Hex(String text) {
    return HexFormat.of().formatHex(Sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
