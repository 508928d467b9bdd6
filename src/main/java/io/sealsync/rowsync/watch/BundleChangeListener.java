package io.sealsync.rowsync.watch;

import io.sealsync.platform.JsonFactory;
import io.sealsync.platform.db.HotStatement;
import io.sealsync.rowsync.RowSyncSettings;
import io.sealsync.rowsync.schema.RowSyncRuntime;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * This node's listener on the bundle-change channel (rowsync.md §15.3): every bundle committed by
 * any node, or by reference tooling on the same database, reaches this node's watch streams. One
 * dedicated connection; on every (re)connect a catch-up for the watched users; reconnects back off
 * from 100 ms to 2 s.
 */
@Singleton
@Startup
@DependsOn("RowSyncRuntime")
public class BundleChangeListener {
  private static final Logger LOG = Logger.getLogger(BundleChangeListener.class.getName());

  @Resource(lookup = "java:comp/env/jdbc/sealsync")
  DataSource dataSource;

  @Resource ManagedThreadFactory threads;
  @Resource ManagedScheduledExecutorService scheduler;

  @Inject WatchHub hub;
  @Inject RowSyncRuntime runtime;

  @Inject RowSyncSettings settings;

  private volatile boolean running;
  private volatile boolean listening;

  /** When the connection was lost (System.nanoTime), or 0 while connected. */
  private volatile long lostAt;

  /** When the batch of notifications being delivered was received (System.nanoTime), or 0. */
  private volatile long deliveringSince;

  private Thread thread;
  private ScheduledFuture<?> heartbeats;

  @PostConstruct
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  void start() {
    if (!settings.watchEnabled() || runtime.tables().isEmpty()) {
      LOG.info("Row sync watch is off");
      return;
    }
    running = true;
    thread = threads.newThread(this::listen);
    thread.setName("sealsync-bundle-change-listener");
    thread.start();
    heartbeats =
        scheduler.scheduleAtFixedRate(
            hub::heartbeat,
            settings.watchHeartbeatSeconds(),
            settings.watchHeartbeatSeconds(),
            TimeUnit.SECONDS);
  }

  /** Whether watch streams get events from every node now: the flag capabilities advertise. */
  public boolean listening() {
    return listening;
  }

  /** Whether watch is configured on (it may be reconnecting). */
  public boolean enabled() {
    return running;
  }

  public String channel() {
    return settings.watchChannel();
  }

  private void listen() {
    long backoff = 100;
    while (running) {
      try (Connection c = listenConnection()) {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + settings.watchChannel());
        }
        if (!c.isWrapperFor(PGConnection.class)) {
          // The server hides the driver from the application: no LISTEN possible on this node.
          LOG.severe(
              "Row sync watch is off: the PostgreSQL driver (org.postgresql) is not visible to the"
                  + " application, so the bundle-change listener cannot receive notifications");
          running = false;
          return;
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        listening = true;
        if (lostAt != 0) {
          LOG.info(
              "bundle-change listener reconnected after "
                  + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - lostAt)
                  + " s");
          lostAt = 0;
        }
        backoff = 100;
        catchUp(c);
        // A primary that hangs (paused, or cut off by the network) would keep this connection
        // open and silent while another node takes the commits: every few quiet seconds the
        // connection must prove that it still reaches a primary, within a bounded time.
        if (pg instanceof Connection raw) {
          raw.setNetworkTimeout(Runnable::run, (int) PROBE_TIMEOUT.toMillis());
        }
        long quietSince = System.nanoTime();
        while (running) {
          PGNotification[] notifications = pg.getNotifications(500);
          if (notifications == null || notifications.length == 0) {
            if (System.nanoTime() - quietSince > PROBE_INTERVAL.toNanos()) {
              probePrimary(c);
              quietSince = System.nanoTime();
            }
            continue;
          }
          quietSince = System.nanoTime();
          deliveringSince = quietSince;
          for (PGNotification n : notifications) {
            publish(n.getParameter());
          }
          deliveringSince = 0;
        }
      } catch (LinkageError e) {
        LOG.severe("Row sync watch is off: " + e);
        running = false;
        listening = false;
        return;
      } catch (Exception e) {
        listening = false;
        if (!running) {
          return;
        }
        // One line per outage, not a stack trace per retry: the database is down or failing over
        // (or stopping with the server), which its own log explains.
        if (lostAt == 0) {
          lostAt = System.nanoTime();
          LOG.warning(
              "bundle-change listener lost its connection, retrying every "
                  + "0.1 to 2 s until the database answers: "
                  + e);
        } else {
          LOG.log(Level.FINE, "bundle-change listener: reconnect failed", e);
        }
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = Math.min(2000, backoff * 2);
      }
    }
    listening = false;
  }

  private static final java.time.Duration PROBE_INTERVAL = java.time.Duration.ofSeconds(5);
  private static final java.time.Duration PROBE_TIMEOUT = java.time.Duration.ofSeconds(10);

  /**
   * The listening connection: the application's pool, or with {@code
   * sealsync.rowsync.watch.jdbc-url} a connection of its own, for a pool behind a transaction-mode
   * pooler (PgBouncer), where {@code LISTEN} does not work.
   */
  private Connection listenConnection() throws java.sql.SQLException {
    org.eclipse.microprofile.config.Config config =
        org.eclipse.microprofile.config.ConfigProvider.getConfig();
    java.util.Optional<String> url =
        config.getOptionalValue("sealsync.rowsync.watch.jdbc-url", String.class);
    if (url.isEmpty() || url.get().isBlank()) {
      return dataSource.getConnection();
    }
    return java.sql.DriverManager.getConnection(
        url.get(),
        config.getOptionalValue("sealsync.db.user", String.class).orElse("postgres"),
        config.getOptionalValue("sealsync.db.password", String.class).orElse(""));
  }

  @HotStatement static final String PRIMARY_PROBE = "SELECT pg_is_in_recovery()";

  /** Fails when the connection no longer reaches a primary, so that the listener reconnects. */
  private static void probePrimary(Connection c) throws java.sql.SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(PRIMARY_PROBE)) {
      if (rs.next() && rs.getBoolean(1)) {
        throw new java.sql.SQLException("the listening connection reaches a standby now", "25006");
      }
    }
  }

  /** 1 while this node receives every commit's notification, else 0. */
  public boolean connected() {
    return running && listening;
  }

  /**
   * How far behind the newest commit this node's watch streams may be, in seconds. PostgreSQL
   * delivers a notification at its commit, so the listener is behind only while its connection is
   * down (it catches up on reconnecting) or while it is still handing a batch to the streams.
   */
  public double lagSeconds() {
    long since = lostAt != 0 ? lostAt : deliveringSince;
    return !running || since == 0 ? 0 : (System.nanoTime() - since) / 1e9;
  }

  private void publish(String payload) {
    try {
      JsonObject o = JsonFactory.readObject(payload);
      hub.publish(
          new WatchHub.Event(
              o.getJsonNumber("user_pk").longValue(),
              o.getJsonNumber("bundle_seq").longValue(),
              o.get("source_id") instanceof JsonString s ? s.getString() : null,
              o.get("source_bundle_id") instanceof JsonNumber n ? n.longValue() : null));
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "ignored a malformed bundle-change notification", e);
    }
  }

  @HotStatement
  static final String LATEST_OF_USERS =
      "SELECT user_pk, next_bundle_seq - 1 FROM sync.user_state WHERE user_pk = ANY (?)";

  /** Events missed while disconnected: the latest bundle of every watched user. */
  private void catchUp(Connection c) throws java.sql.SQLException {
    List<Long> users = new ArrayList<>(hub.watchedUsers());
    if (users.isEmpty()) {
      return;
    }
    Array ids = c.createArrayOf("bigint", users.toArray());
    try (PreparedStatement ps = c.prepareStatement(LATEST_OF_USERS)) {
      ps.setArray(1, ids);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          hub.publish(new WatchHub.Event(rs.getLong(1), rs.getLong(2), null, null));
        }
      }
    }
  }

  @PreDestroy
  void stop() {
    running = false;
    listening = false;
    if (heartbeats != null) {
      heartbeats.cancel(false);
    }
    if (thread != null) {
      thread.interrupt();
    }
  }
}
