package io.sealsync.rowsync.api;

import io.sealsync.platform.db.Database;
import io.sealsync.rowsync.RowSyncSettings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The figures of {@code /syncx/status} (rowsync.md §16.2). Load balancers poll it every few seconds
 * on every node, and the retention and history totals scan all users and all retained bundles:
 * those are read at most once per refresh interval per node. The counters (sequences) are read
 * live, which costs nothing.
 */
@ApplicationScoped
public class SyncStatistics {
  /** Retention and history totals. */
  record Totals(
      long floorAhead,
      long latestMax,
      long floorMin,
      long floorMax,
      long windowMin,
      long windowMax,
      long bundles,
      long bundleBytes) {}

  /** The protocol's counters. */
  record Counters(long historyPruned, long acceptedPushReplays, long rejectedWrites) {}

  @Inject Database db;

  @Inject RowSyncSettings settings;

  private long refreshNanos;
  private volatile Totals cached;
  private volatile long cachedAt;

  @PostConstruct
  void init() {
    refreshNanos = settings.statusRefresh().toNanos();
  }

  Totals totals() throws SQLException {
    Totals t = cached;
    long now = System.nanoTime();
    if (t != null && now - cachedAt < refreshNanos) {
      return t;
    }
    // Concurrent pollers at expiry may both read: harmless, and cheaper than making them wait.
    try (Connection c = db.connection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT u.ahead, u.latest_max, u.floor_min, u.floor_max, u.window_min, u.window_max,"
                    + " b.n, b.bytes FROM"
                    + " (SELECT count(*) FILTER (WHERE retained_bundle_floor > next_bundle_seq - 1) AS ahead,"
                    + " coalesce(max(next_bundle_seq - 1), 0) AS latest_max,"
                    + " coalesce(min(retained_bundle_floor), 0) AS floor_min,"
                    + " coalesce(max(retained_bundle_floor), 0) AS floor_max,"
                    + " coalesce(min(next_bundle_seq - 1 - retained_bundle_floor), 0) AS window_min,"
                    + " coalesce(max(next_bundle_seq - 1 - retained_bundle_floor), 0) AS window_max"
                    + " FROM sync.user_state) u,"
                    + " (SELECT count(*) AS n, coalesce(sum(byte_count), 0) AS bytes FROM sync.bundle_log) b")) {
      rs.next();
      t =
          new Totals(
              rs.getLong(1),
              rs.getLong(2),
              rs.getLong(3),
              rs.getLong(4),
              rs.getLong(5),
              rs.getLong(6),
              rs.getLong(7),
              rs.getLong(8));
    }
    cached = t;
    cachedAt = now;
    return t;
  }

  Counters counters() throws SQLException {
    try (Connection c = db.connection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT"
                    + " (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM sync.history_pruned_error_seq),"
                    + " (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM sync.accepted_push_replay_seq),"
                    + " (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM sync.rejected_registered_write_seq)")) {
      rs.next();
      return new Counters(rs.getLong(1), rs.getLong(2), rs.getLong(3));
    }
  }
}
