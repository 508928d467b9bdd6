package io.sealsync.rowsync;

import io.sealsync.platform.errors.ExpectedFailure;

/**
 * A sync operation failed for a reason that passes (serialization failure, deadlock, lock timeout,
 * the database briefly out of reach): retried by {@link SyncRetries}, then answered 503 with the
 * route's failure code and {@code Retry-After}.
 */
public class TransientSyncException extends RuntimeException implements ExpectedFailure {
  private final SyncError failed;

  public TransientSyncException(SyncError failed, Throwable cause) {
    super(cause.getMessage(), cause);
    this.failed = failed;
  }

  /** The route's {@code *_failed} code. */
  public SyncError failed() {
    return failed;
  }
}
