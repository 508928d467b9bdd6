package io.sealsync.rowsync;

import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns database failures into protocol answers: transient ones are retried, the rest logged as
 * 5xx.
 */
final class SyncFailures {
  private static final Logger LOG = Logger.getLogger(SyncFailures.class.getName());

  private SyncFailures() {}

  static RuntimeException server(SyncError failed, SQLException e) {
    if (SyncSql.isTransient(e)) {
      return new TransientSyncException(e);
    }
    LOG.log(Level.SEVERE, "row sync " + failed.code() + ": " + e.getMessage(), e);
    return failed.exception("internal error");
  }
}
