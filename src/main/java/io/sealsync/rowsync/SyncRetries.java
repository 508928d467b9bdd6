package io.sealsync.rowsync;

import io.sealsync.rowsync.api.TransientSyncExceptionMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * Runs a whole sync transaction again when it failed transiently (rowsync.md §7.1: up to 3 attempts
 * on a serialization failure, deadlock or lock timeout). The retry must wrap the transaction, not
 * run inside it, so callers pass a call to a {@code @Transactional} service: each attempt enters
 * the service again and gets a new transaction. What still fails is answered 503 with {@code
 * Retry-After} ({@link TransientSyncExceptionMapper}).
 */
@ApplicationScoped
public class SyncRetries {
  @Retry(maxRetries = 2, delay = 40, jitter = 20, retryOn = TransientSyncException.class)
  public <T> T transaction(Supplier<T> attempt) {
    return attempt.get();
  }

  /** The same for a transaction without a result. */
  @Retry(maxRetries = 2, delay = 40, jitter = 20, retryOn = TransientSyncException.class)
  public void run(Runnable attempt) {
    attempt.run();
  }
}
