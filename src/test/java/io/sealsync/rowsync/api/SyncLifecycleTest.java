package io.sealsync.rowsync.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.rowsync.RowSyncSettings;
import io.sealsync.rowsync.SyncException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Graceful shutdown (rowsync.md §22): in-flight work finishes, new work gets 503. */
class SyncLifecycleTest {
  static SyncLifecycle lifecycle(long drainSeconds) {
    SyncLifecycle l = new SyncLifecycle();
    l.settings =
        RowSyncSettings.read(
            key ->
                key.equals("sealsync.rowsync.shutdown-drain-seconds")
                    ? Optional.of(Long.toString(drainSeconds))
                    : Optional.empty());
    return l;
  }

  @Test
  void shutdownWaitsForInFlightOperationsAndRefusesNewOnes() throws Exception {
    SyncLifecycle l = lifecycle(10);
    l.enter();
    CountDownLatch started = new CountDownLatch(1);
    CompletableFuture<Void> shutdown =
        CompletableFuture.runAsync(
            () -> {
              started.countDown();
              l.shutdown();
            });
    started.await();
    // Wait until shutdown has begun.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (l.state() == SyncLifecycle.State.RUNNING && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(SyncLifecycle.State.SHUTTING_DOWN, l.state());
    SyncException refused = assertThrows(SyncException.class, l::enter);
    assertEquals(503, refused.error().status());
    assertEquals("service_unavailable", refused.error().code());
    assertEquals("Sync service is shutting down", refused.getMessage());
    assertEquals(1, l.inflight());
    // The admitted operation finishes; only then is the service closed.
    Thread.sleep(100);
    assertEquals(SyncLifecycle.State.SHUTTING_DOWN, l.state());
    l.exit();
    shutdown.get(5, TimeUnit.SECONDS);
    assertEquals(SyncLifecycle.State.CLOSED, l.state());
    assertEquals(0, l.inflight());
  }

  @Test
  void drainingIsBounded() {
    SyncLifecycle l = lifecycle(0);
    l.enter();
    long started = System.nanoTime();
    l.shutdown();
    assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(2));
    assertEquals(SyncLifecycle.State.CLOSED, l.state());
  }

  @Test
  void onlySyncRoutesAreCounted() {
    assertTrue(SyncLifecycleFilter.isSyncRoute("sync/pull"));
    assertTrue(!SyncLifecycleFilter.isSyncRoute("syncx/status"));
    assertTrue(!SyncLifecycleFilter.isSyncRoute("v2/sync/latest"));
  }
}
