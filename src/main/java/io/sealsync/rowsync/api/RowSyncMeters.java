package io.sealsync.rowsync.api;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sealsync.platform.db.Database;
import io.sealsync.platform.db.HotStatement;
import io.sealsync.platform.observability.Metrics;
import io.sealsync.rowsync.RowSyncSettings;
import io.sealsync.rowsync.read.RowsPulled;
import io.sealsync.rowsync.watch.BundleChangeListener;
import io.sealsync.rowsync.watch.WatchHub;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Row sync's gauges: open sessions (read from the database, at most once per {@code
 * sealsync.rowsync.status-refresh} however often Prometheus scrapes, and the same on every node)
 * and this node's watch streams and listener.
 */
@ApplicationScoped
public class RowSyncMeters implements MeterBinder {
  private static final Logger LOG = Logger.getLogger(RowSyncMeters.class.getName());

  @Inject Database db;
  @Inject RowSyncSettings settings;
  @Inject WatchHub hub;
  @Inject BundleChangeListener listener;

  @Inject Metrics metrics;

  private volatile long[] openSessions;
  private volatile long readAt;

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("sealsync_rowsync_push_sessions_open", this, m -> m.openSessions(0))
        .description("Push sessions not yet committed, deleted or expired (all nodes).")
        .register(registry);
    Gauge.builder("sealsync_rowsync_snapshot_sessions_open", this, m -> m.openSessions(1))
        .description("Snapshot sessions not yet expired (all nodes).")
        .register(registry);
    Gauge.builder("sealsync_rowsync_watch_streams_open", hub, WatchHub::subscriberCount)
        .description("Watch (SSE) streams open on this node.")
        .register(registry);
    if (listener.enabled()) {
      Gauge.builder("sealsync_rowsync_watch_listener_up", listener, l -> l.connected() ? 1 : 0)
          .description("1 while this node's bundle-change listener is connected, else 0.")
          .register(registry);
      Gauge.builder(
              "sealsync_rowsync_watch_listener_lag_seconds",
              listener,
              BundleChangeListener::lagSeconds)
          .description("How far this node's watch streams may be behind the last commit.")
          .register(registry);
    }
  }

  void onRowsPulled(@Observes RowsPulled pulled) {
    metrics.rowsPulled(pulled.rows());
  }

  @HotStatement
  static final String OPEN_SESSIONS =
      "SELECT (SELECT count(*) FROM sync.push_sessions WHERE expires_at > now()),"
          + " (SELECT count(*) FROM sync.snapshot_sessions WHERE expires_at > now())";

  private double openSessions(int which) {
    long now = System.nanoTime();
    long[] counts = openSessions;
    if (counts == null || now - readAt > settings.statusRefresh().toNanos()) {
      try (Connection c = db.connection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(OPEN_SESSIONS)) {
        rs.next();
        counts = new long[] {rs.getLong(1), rs.getLong(2)};
        openSessions = counts;
        readAt = now;
      } catch (SQLException | RuntimeException e) {
        LOG.log(Level.FINE, "open sessions not read", e);
        return Double.NaN;
      }
    }
    return counts[which];
  }
}
