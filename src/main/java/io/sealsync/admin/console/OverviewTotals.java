package io.sealsync.admin.console;

import io.sealsync.admin.AdminDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The overview's totals. Counting the replication log and the bundles scans whole tables, so one
 * node reads them at most every {@link #REFRESH_NANOS}, however many consoles are open.
 */
@ApplicationScoped
public class OverviewTotals {
  static final long REFRESH_NANOS = 10_000_000_000L;

  @Inject AdminDatabase db;

  public record Totals(
      long tenants,
      long projectTenants,
      long liveKeys,
      long logBlocks,
      long logBytes,
      long snapshots,
      long rowSyncUsers,
      long bundles,
      long openPushSessions,
      long openSnapshotSessions,
      long watchersOnThisNode,
      String countedAt) {}

  private volatile Totals cached;
  private volatile long cachedAt;

  Totals totals(int watchers) {
    Totals t = cached;
    long now = System.nanoTime();
    if (t == null || now - cachedAt >= REFRESH_NANOS) {
      t = read();
      cached = t;
      cachedAt = now;
    }
    return new Totals(
        t.tenants(),
        t.projectTenants(),
        t.liveKeys(),
        t.logBlocks(),
        t.logBytes(),
        t.snapshots(),
        t.rowSyncUsers(),
        t.bundles(),
        t.openPushSessions(),
        t.openSnapshotSessions(),
        watchers,
        t.countedAt());
  }

  private Totals read() {
    boolean sync =
        Boolean.TRUE.equals(
            db.one("SELECT to_regclass('sync.user_state') IS NOT NULL", rs -> rs.getBoolean(1)));
    String syncCounts =
        sync
            ? "(SELECT count(*) FROM sync.user_state),"
                + " (SELECT count(*) FROM sync.bundle_log),"
                + " (SELECT count(*) FROM sync.push_sessions WHERE expires_at > now()),"
                + " (SELECT count(*) FROM sync.snapshot_sessions WHERE expires_at > now())"
            : "0, 0, 0, 0";
    return db.one(
        "SELECT (SELECT count(*) FROM tenant WHERE kind = 'account'),"
            + " (SELECT count(*) FROM tenant WHERE kind = 'project'),"
            + " (SELECT count(*) FROM api_key WHERE revoked_at IS NULL"
            + " AND (expires_at IS NULL OR expires_at > now())),"
            + " (SELECT count(*) FROM replication_log),"
            + " (SELECT coalesce(sum(byte_size), 0) FROM replication_log),"
            + " (SELECT count(*) FROM agent_state_snapshots),"
            + syncCounts
            + ", now()",
        rs ->
            new Totals(
                rs.getLong(1),
                rs.getLong(2),
                rs.getLong(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getLong(6),
                rs.getLong(7),
                rs.getLong(8),
                rs.getLong(9),
                rs.getLong(10),
                0,
                AdminDatabase.ts(rs, 11)));
  }
}
