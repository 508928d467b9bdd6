package io.sealsync.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.testsupport.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The fault tests' standard load on one node: a paying and a free replicate writer, a snapshot
 * writer, push writers each with a watcher of its user; then the checks every fault test ends with:
 * the watchers saw each user's last bundle, everything acknowledged reads back whole, and clients
 * saw only allowed answers.
 */
final class MixedLoad {
  static final long DEPOSIT = 1_000_000;

  final Tally tally;
  final Crew crew = new Crew();
  final Http.LiveTenant paid;
  final ReplicateWriter paying;
  final ReplicateWriter free;
  final SnapshotWriter snapshots;
  final List<PushWriter> pushers = new ArrayList<>();

  /** The writers and watchers, not started yet: add probers to {@link #crew}, then start it. */
  MixedLoad(Http http, Tally tally, String userPrefix, int pushWriters, int rows, int chunks)
      throws InterruptedException {
    this.tally = tally;
    List<Http> nodes = List.of(http);
    paid = http.liveTenant(DEPOSIT, null, null);
    paying = crew.add(new ReplicateWriter("paying", nodes, tally, paid.key(), 1));
    free = crew.add(new ReplicateWriter("project", nodes, tally, Http.newProjectToken(), 3));
    snapshots = crew.add(new SnapshotWriter("snap", nodes, tally, Http.newProjectToken()));
    for (int i = 0; i < pushWriters; i++) {
      PushWriter p =
          crew.add(
              new PushWriter(
                  "push-" + i, nodes, tally, userPrefix + UUID.randomUUID(), rows, chunks));
      p.connect();
      pushers.add(p);
      crew.add(new Watcher("watch-" + i, http, p.token, tally));
    }
  }

  /** Stops the pushers and waits until each watcher has seen its user's last bundle. */
  void awaitWatchersCaughtUp(Duration timeout) throws InterruptedException {
    for (PushWriter p : pushers) {
      p.stop();
    }
    Thread.sleep(2000);
    for (int i = 0; i < pushers.size(); i++) {
      Watcher w = crew.watchers.get(i);
      long last = pushers.get(i).lastAcked;
      assertTrue(last > 0, pushers.get(i).name + " pushed nothing");
      assertTrue(
          w.awaitSeen(last, timeout), w.name + " saw bundle " + w.lastSeen() + " of " + last);
    }
  }

  /**
   * Stops the crew and checks everything acknowledged through {@code http}: blocks, the ledger,
   * snapshots, bundles; no answer outside the allowed ones, no writer failure. Returns a summary.
   */
  String verify(Http http) throws Exception {
    crew.stop();
    long blocks = paying.verify(http);
    paying.verifyLedger(http, paid.tenantId(), DEPOSIT, blocks);
    blocks += free.verify(http);
    long snaps = snapshots.verify(http);
    long bundles = 0;
    for (PushWriter p : pushers) {
      bundles += p.verify(http);
    }
    assertEquals(List.of(), tally.violations());
    for (FaultClient w : crew.writers) {
      assertEquals(null, w.failure(), w.name);
    }
    return String.format(
        "%d writes acknowledged, verified: %d replicated blocks, %d snapshots, %d bundles;"
            + " clients saw %s",
        crew.acknowledged(), blocks, snaps, bundles, tally);
  }
}
