package io.sealsync.admin.console;

import io.sealsync.admin.AdminDatabase;
import io.sealsync.platform.Timestamps;
import io.sealsync.platform.db.HotStatement;
import io.sealsync.platform.db.UsageTotals;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The overview's totals: the kept ones of {@link UsageTotals}, and counts of live keys and open
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
      "SELECT count(*) FROM api_key WHERE revoked_at IS NULL"
          + " AND (expires_at IS NULL OR expires_at > now())";

  @HotStatement
  static final String OPEN_SESSIONS =
      "SELECT (SELECT count(*) FROM sync.push_sessions WHERE expires_at > now()),"
          + " (SELECT count(*) FROM sync.snapshot_sessions WHERE expires_at > now()), now()";

  private Totals read() {
    try (Connection c = db.connection()) {
      Map<String, Long> kept =
          UsageTotals.read(
              c,
              "tenant.account.rows",
              "tenant.project.rows",
              "replication_log.rows",
              "replication_log.bytes",
              "agent_state_snapshots.rows",
              "sync.user_state.rows",
              "sync.bundle_log.rows");
      long liveKeys;
      boolean sync;
      try (Statement s = c.createStatement();
          ResultSet keys = s.executeQuery(LIVE_KEYS)) {
        keys.next();
        liveKeys = keys.getLong(1);
      }
      try (Statement s = c.createStatement();
          ResultSet schema = s.executeQuery(SYNC_SCHEMA)) {
        schema.next();
        sync = schema.getBoolean(1);
      }
      long pushSessions = 0;
      long snapshotSessions = 0;
      String countedAt;
      if (sync) {
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery(OPEN_SESSIONS)) {
          rs.next();
          pushSessions = rs.getLong(1);
          snapshotSessions = rs.getLong(2);
          countedAt = AdminDatabase.ts(rs, 3);
        }
      } else {
        countedAt = Timestamps.format(Timestamps.now());
      }
      return new Totals(
          kept.get("tenant.account.rows"),
          kept.get("tenant.project.rows"),
          liveKeys,
          kept.get("replication_log.rows"),
          kept.get("replication_log.bytes"),
          kept.get("agent_state_snapshots.rows"),
          sync ? kept.get("sync.user_state.rows") : 0,
          sync ? kept.get("sync.bundle_log.rows") : 0,
          pushSessions,
          snapshotSessions,
          0,
          countedAt);
    } catch (SQLException e) {
      throw new IllegalStateException("operator query failed: " + e.getMessage(), e);
    }
  }
}
