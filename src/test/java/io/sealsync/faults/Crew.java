package io.sealsync.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The clients of a fault test, each on its own thread. */
final class Crew {
  final List<FaultClient> writers = new ArrayList<>();
  final List<Watcher> watchers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  <T extends FaultClient> T add(T writer) {
    writers.add(writer);
    return writer;
  }

  Watcher add(Watcher watcher) {
    watchers.add(watcher);
    return watcher;
  }

  void start() {
    for (Runnable r : new ArrayList<Runnable>(writers)) {
      start(r, ((FaultClient) r).name);
    }
    for (Watcher w : watchers) {
      start(w, w.name);
    }
  }

  private void start(Runnable r, String name) {
    Thread t = new Thread(r, "fault-" + name);
    t.setDaemon(true);
    t.start();
    threads.add(t);
  }

  long acknowledged() {
    return writers.stream().mapToLong(w -> w.acknowledged.get()).sum();
  }

  /**
   * Waits until the writers acknowledged {@code more} writes beyond {@code from}, or the time is
   * up.
   */
  long awaitAcknowledged(long from, long more, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (acknowledged() < from + more && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    return acknowledged();
  }

  /** Asks every client to stop and waits for them: a request in flight ends first. */
  void stop() throws InterruptedException {
    writers.forEach(FaultClient::stop);
    watchers.forEach(Watcher::stop);
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(90));
      if (t.isAlive()) {
        throw new IllegalStateException(t.getName() + " did not stop");
      }
    }
  }
}
