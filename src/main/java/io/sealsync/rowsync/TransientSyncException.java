package io.sealsync.rowsync;

import java.sql.SQLException;

/** A serialization failure, deadlock or lock timeout: the whole transaction is retried. */
public class TransientSyncException extends RuntimeException {
  public TransientSyncException(SQLException cause) {
    super(cause.getMessage(), cause);
  }
}
