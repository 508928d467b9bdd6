package io.sealsync.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.TestDatabase;
import java.net.URL;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A minute of mixed load: 16 agent-state writers, 8 row-sync devices pushing bundles in chunks, 20
 * watchers. No answer but success, or 429/503 with Retry-After; every acknowledged write is read
 * back.
 */
@Tag("once")
@ExtendWith(ArquillianExtension.class)
class SustainedLoadIT {
  static final long MILLIS = 60_000;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;

  @Test
  void aMinuteOfMixedLoadEndsWithEveryWriteVerified() throws Exception {
    Http http = new Http(base);
    List<Http> nodes = List.of(http);
    Tally tally = new Tally(30_000);
    Crew crew = new Crew();
    List<ReplicateWriter> replicas = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      replicas.add(
          crew.add(
              new ReplicateWriter(
                  "replicate-" + i, nodes, tally, Http.newProjectToken(), 1 + i % 3)));
    }
    List<PushWriter> pushers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      PushWriter p =
          crew.add(new PushWriter("push-" + i, nodes, tally, "load-" + UUID.randomUUID(), 20, 2));
      p.connect();
      pushers.add(p);
    }
    List<Watcher> watchers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      watchers.add(crew.add(new Watcher("watch-" + i, http, pushers.get(i % 8).token, tally)));
    }
    crew.start();
    Thread.sleep(MILLIS);
    for (PushWriter p : pushers) {
      p.stop();
    }
    for (ReplicateWriter r : replicas) {
      r.stop();
    }
    Thread.sleep(2000);
    for (int i = 0; i < watchers.size(); i++) {
      long last = pushers.get(i % 8).lastAcked;
      Watcher w = watchers.get(i);
      assertTrue(
          w.awaitSeen(last, Duration.ofSeconds(15)),
          w.name + " saw bundle " + w.lastSeen() + " of " + last);
    }
    crew.stop();
    assertEquals(List.of(), tally.violations());
    long blocks = 0;
    for (ReplicateWriter r : replicas) {
      blocks += r.verify(http);
    }
    long bundles = 0;
    long rows = 0;
    try (Connection db = TestDatabase.connect()) {
      for (PushWriter p : pushers) {
        bundles += p.verify(http);
        rows += p.verifyRows(db);
      }
    }
    long events = watchers.stream().mapToLong(w -> w.events.get()).sum();
    System.out.printf(
        "[faults] SustainedLoadIT: 60 s of 16 replicate clients, 8 push clients and 20 watchers:"
            + " %d writes acknowledged, verified: %d blocks (hash chains), %d retained bundles and"
            + " %d rows of acknowledged bundles; %d watch events; clients saw %s%n",
        crew.acknowledged(), blocks, bundles, rows, events, tally);
    for (FaultClient w : crew.writers) {
      assertEquals(null, w.failure(), w.name);
    }
  }
}
