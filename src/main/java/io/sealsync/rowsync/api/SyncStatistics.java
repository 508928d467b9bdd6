package io.sealsync.rowsync.api;

import io.sealsync.platform.db.Database;
import io.sealsync.platform.db.HotStatement;
import io.sealsync.platform.db.UsageTotals;
import io.sealsync.rowsync.RowSyncSettings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The figures of {@code /syncx/status} (rowsync.md §16.2). Load balancers poll it every few seconds
 * on every node, and the retention aggregates scan all users: those are read at most once per
 * refresh interval per node. The bundle totals are kept ({@link UsageTotals}). The counters
 * (sequences) are read live, which costs nothing.
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

  @HotStatement
  static final String USER_AGGREGATES =
      "SELECT count(*) FILTER (WHERE retained_bundle_floor > next_bundle_seq - 1),"
          + " coalesce(max(next_bundle_seq - 1), 0),"
          + " coalesce(min(retained_bundle_floor), 0),"
          + " coalesce(max(retained_bundle_floor), 0),"
          + " coalesce(min(next_bundle_seq - 1 - retained_bundle_floor), 0),"
          + " coalesce(max(next_bundle_seq - 1 - retained_bundle_floor), 0)"
          + " FROM sync.user_state";

  Totals totals() throws SQLException {
    Totals t = cached;
    long now = System.nanoTime();
    if (t != null && now - cachedAt < refreshNanos) {
      return t;
    }
    // Concurrent pollers at expiry may both read: harmless, and cheaper than making them wait.
    // The user aggregates scan every user (an index on the bundle numbers would cost every
    // commit its in-page update); the bundle totals are kept as bundles come and go.
    try (Connection c = db.connection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(USER_AGGREGATES)) {
      rs.next();
      Map<String, Long> bundles =
          UsageTotals.read(c, "sync.bundle_log.rows", "sync.bundle_log.bytes");
      t =
          new Totals(
              rs.getLong(1),
              rs.getLong(2),
              rs.getLong(3),
              rs.getLong(4),
              rs.getLong(5),
              rs.getLong(6),
              bundles.get("sync.bundle_log.rows"),
              bundles.get("sync.bundle_log.bytes"));
    }
    cached = t;
    cachedAt = now;
    return t;
  }

  @HotStatement
  static final String COUNTERS =
      "SELECT"
          + " (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM sync.history_pruned_error_seq),"
          + " (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM sync.accepted_push_replay_seq),"
          + " (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM sync.rejected_registered_write_seq)";

  Counters counters() throws SQLException {
    try (Connection c = db.connection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(COUNTERS)) {
      rs.next();
      return new Counters(rs.getLong(1), rs.getLong(2), rs.getLong(3));
    }
  }
}
