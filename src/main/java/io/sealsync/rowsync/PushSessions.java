package io.sealsync.rowsync;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * The push paths with the protocol's retry (rowsync.md §7.1): a transaction that fails on a
 * serialization failure, deadlock or lock timeout runs again, up to 3 attempts. The retry wraps the
 * whole transaction, so this facade sits outside {@link PushSessionService}.
 */
@ApplicationScoped
public class PushSessions {
  @Inject PushSessionService service;

  @Retry(maxRetries = 2, delay = 25, jitter = 0, retryOn = TransientSyncException.class)
  public String create(
      SyncActor actor, long sourceBundleId, long plannedRowCount, String initializationId) {
    return service.create(actor, sourceBundleId, plannedRowCount, initializationId);
  }

  @Retry(maxRetries = 2, delay = 25, jitter = 0, retryOn = TransientSyncException.class)
  public String chunk(SyncActor actor, String pushId, PushChunk chunk) {
    return service.chunk(actor, pushId, chunk);
  }

  @Retry(maxRetries = 2, delay = 25, jitter = 0, retryOn = TransientSyncException.class)
  public Bundle commit(SyncActor actor, String pushId) {
    return service.commit(actor, pushId);
  }

  @Retry(maxRetries = 2, delay = 25, jitter = 0, retryOn = TransientSyncException.class)
  public void delete(SyncActor actor, String pushId) {
    service.delete(actor, pushId);
  }
}
