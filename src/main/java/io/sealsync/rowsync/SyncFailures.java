package io.sealsync.rowsync;

import io.sealsync.platform.db.DatabaseFailures;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns database failures into protocol answers: transient ones are retried and then answered 503,
 * the rest logged as the route's 500.
 */
public final class SyncFailures {
  private static final Logger LOG = Logger.getLogger(SyncFailures.class.getName());

  private SyncFailures() {}

  public static RuntimeException server(SyncError failed, SQLException e) {
    if (DatabaseFailures.isTransient(e)) {
      return new TransientSyncException(failed, e);
    }
    LOG.log(Level.SEVERE, "row sync " + failed.code() + ": " + e.getMessage(), e);
    return failed.exception("internal error");
  }

  /** A broken invariant of the server's own data: logged, and the route's 500. */
  public static RuntimeException server(SyncError failed, String problem) {
    LOG.severe("row sync " + failed.code() + ": " + problem);
    return failed.exception("internal error");
  }
}
