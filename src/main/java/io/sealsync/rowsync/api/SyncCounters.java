package io.sealsync.rowsync.api;

import io.sealsync.platform.db.Database;
import io.sealsync.platform.db.HotStatement;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The operational counters of {@code /syncx/status} that the read paths advance. */
@ApplicationScoped
public class SyncCounters {
  private static final Logger LOG = Logger.getLogger(SyncCounters.class.getName());

  @Inject Database db;

  @HotStatement
  static final String HISTORY_PRUNED = "SELECT nextval('sync.history_pruned_error_seq')";

  /** Counts a pull answered history_pruned; its own transaction, since pull's is read-only. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void historyPruned() {
    try (Connection c = db.connection();
        Statement s = c.createStatement()) {
      s.execute(HISTORY_PRUNED);
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "history_pruned counter not advanced", e);
    }
  }
}
