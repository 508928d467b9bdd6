package io.sealsync.admin.console;

import io.sealsync.admin.AdminDatabase;
import io.sealsync.platform.db.HotStatement;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * The overview's totals: the kept ones ({@code usage_total}), and counts of live keys and open
 * sessions (index reads). One node reads them at most every {@link #REFRESH_NANOS}, however many
 * consoles are open.
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

  @HotStatement
  static final String SYNC_SCHEMA = "SELECT to_regclass('sync.user_state') IS NOT NULL";

  @HotStatement
  static final String LIVE_KEYS =
      "SELECT count(*), now() FROM api_key WHERE revoked_at IS NULL"
          + " AND (expires_at IS NULL OR expires_at > now())";

  @HotStatement
  static final String OPEN_SESSIONS =
      "SELECT (SELECT count(*) FROM sync.push_sessions WHERE expires_at > now()),"
          + " (SELECT count(*) FROM sync.snapshot_sessions WHERE expires_at > now())";

  private record LiveKeys(long count, String countedAt) {}

  private Totals read() {
    Map<String, Long> kept =
        db.totals(
            "tenant.account.rows",
            "tenant.project.rows",
            "replication_log.rows",
            "replication_log.bytes",
            "agent_state_snapshots.rows",
            "sync.user_state.rows",
            "sync.bundle_log.rows");
    LiveKeys keys = db.one(LIVE_KEYS, rs -> new LiveKeys(rs.getLong(1), AdminDatabase.ts(rs, 2)));
    boolean sync = Boolean.TRUE.equals(db.one(SYNC_SCHEMA, rs -> rs.getBoolean(1)));
    long[] sessions =
        sync
            ? db.one(OPEN_SESSIONS, rs -> new long[] {rs.getLong(1), rs.getLong(2)})
            : new long[] {0, 0};
    return new Totals(
        kept.get("tenant.account.rows"),
        kept.get("tenant.project.rows"),
        keys.count(),
        kept.get("replication_log.rows"),
        kept.get("replication_log.bytes"),
        kept.get("agent_state_snapshots.rows"),
        sync ? kept.get("sync.user_state.rows") : 0,
        sync ? kept.get("sync.bundle_log.rows") : 0,
        sessions[0],
        sessions[1],
        0,
        keys.countedAt());
  }
}
