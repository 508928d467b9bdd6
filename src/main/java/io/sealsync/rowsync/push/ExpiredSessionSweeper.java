package io.sealsync.rowsync.push;

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
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Deletes expired push and snapshot sessions of every user in the background, in small transactions
 * of their own, so that no request transaction touches other users' rows. Requests already treat an
 * expired session as gone (410), so the sweep only reclaims space.
 */
@Singleton
@Startup
@DependsOn("RowSyncRuntime")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ExpiredSessionSweeper {
  private static final Logger LOG = Logger.getLogger(ExpiredSessionSweeper.class.getName());
  private static final int BATCH = 1000;

  @Resource(lookup = "java:comp/env/jdbc/sealsync")
  DataSource dataSource;

  @Resource ManagedScheduledExecutorService scheduler;

  @Inject RowSyncRuntime runtime;

  @Inject RowSyncSettings settings;

  private ScheduledFuture<?> task;

  @PostConstruct
  void start() {
    long millis = settings.sessionSweepInterval().toMillis();
    if (runtime.tables().isEmpty()) {
      return;
    }
    task = scheduler.scheduleWithFixedDelay(this::sweep, millis, millis, TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    if (task != null) {
      task.cancel(false);
    }
  }

  /** One pass; a failure (the database away, say) is logged and the next pass tries again. */
  void sweep() {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      long push = deleteExpired(c, "push_sessions", "push_id");
      long snapshots = deleteExpired(c, "snapshot_sessions", "snapshot_id");
      if (push + snapshots > 0) {
        LOG.fine(() -> "swept " + push + " expired push and " + snapshots + " snapshot session(s)");
      }
    } catch (SQLException | RuntimeException e) {
      LOG.log(Level.WARNING, "expired session sweep failed; retrying later: " + e.getMessage());
    }
  }

  /**
   * One batch of {@code table}'s expired sessions; parameters grace seconds, batch size. The oldest
   * first and by id, so that both halves probe an index whatever the planner estimates of the
   * cutoff: the batch's ids are one array, each deleted by its primary key.
   */
  @HotStatement
  static String deleteExpiredSql(String table, String id) {
    return "DELETE FROM sync."
        + table
        + " WHERE "
        + id
        + " = ANY (ARRAY(SELECT "
        + id
        + " FROM sync."
        + table
        + " WHERE expires_at <= now() - ? * interval '1 second' ORDER BY expires_at LIMIT ?"
        + " FOR UPDATE SKIP LOCKED))";
  }

  /** In batches, each its own transaction, so a large backlog never holds locks for long. */
  private static long deleteExpired(Connection c, String table, String id) throws SQLException {
    long total = 0;
    try (PreparedStatement ps = c.prepareStatement(deleteExpiredSql(table, id))) {
      ps.setLong(1, RowSyncSettings.EXPIRED_SESSION_GRACE.toSeconds());
      ps.setInt(2, BATCH);
      int n;
      do {
        n = ps.executeUpdate();
        total += n;
      } while (n == BATCH);
    }
    return total;
  }
}
