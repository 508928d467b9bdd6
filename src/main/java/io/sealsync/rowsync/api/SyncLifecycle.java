package io.sealsync.rowsync.api;

import io.sealsync.rowsync.RowSyncSettings;
import io.sealsync.rowsync.SyncError;
import io.sealsync.rowsync.watch.WatchHub;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The sync service's lifecycle (rowsync.md §22): running → shutting_down (new operations get {@code
 * 503 service_unavailable}, in-flight ones finish) → closed.
 */
@ApplicationScoped
public class SyncLifecycle {
  private static final Logger LOG = Logger.getLogger(SyncLifecycle.class.getName());

  public enum State {
    RUNNING("running"),
    SHUTTING_DOWN("shutting_down"),
    CLOSED("closed");

    final String wire;

    State(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  private final AtomicInteger inflight = new AtomicInteger();
  private volatile State state = State.RUNNING;

  @Inject RowSyncSettings settings;

  @Inject WatchHub hub;

  public State state() {
    return state;
  }

  public int inflight() {
    return inflight.get();
  }

  /** Admits one operation, or refuses it once shutdown has begun. */
  public void enter() {
    inflight.incrementAndGet();
    if (state != State.RUNNING) {
      inflight.decrementAndGet();
      throw SyncError.SERVICE_UNAVAILABLE.exception("Sync service is shutting down");
    }
  }

  public void exit() {
    inflight.decrementAndGet();
  }

  /** Stops admitting operations and waits (bounded) for the admitted ones; then closes. */
  public void shutdown() {
    if (state != State.RUNNING) {
      return;
    }
    state = State.SHUTTING_DOWN;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.shutdownDrainSeconds());
    while (inflight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (inflight.get() > 0) {
      LOG.warning(
          inflight.get()
              + " sync operation(s) still running after "
              + settings.shutdownDrainSeconds()
              + " s of draining");
    }
    state = State.CLOSED;
    if (hub != null) {
      hub.closeAll();
    }
  }

  void onApplicationStop(
      @Observes @Priority(1) @BeforeDestroyed(ApplicationScoped.class) Object event) {
    LOG.info("Sync service shutting down: draining in-flight operations");
    shutdown();
  }
}
