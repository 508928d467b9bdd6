package io.sealsync.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.testsupport.CrashablePostgres;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.NodeProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The application server is killed with SIGKILL in the middle of writes on both protocols and
 * started again on the same database: every write it acknowledged is there, whole.
 */
@Tag("once")
class ServerKillIT {
  static CrashablePostgres db;
  static NodeProcess node;

  static SingleNode rig;

  @BeforeAll
  static void start() throws Exception {
    rig = SingleNode.start("kill", 0, 5, 3);
    db = rig.db;
    node = rig.node;
  }

  @AfterAll
  static void stop() throws Exception {
    if (rig != null) {
      rig.close();
    }
  }

  @Test
  void everyAcknowledgedWriteSurvivesASigkillOfTheServer() throws Exception {
    Http http = node.http();
    List<Http> nodes = List.of(http);
    Tally tally = new Tally(30_000);
    Crew crew = new Crew();
    long deposit = 1_000_000;
    List<ReplicateWriter> paying = new ArrayList<>();
    List<Long> payingTenants = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Http.LiveTenant t = http.liveTenant(deposit, null, null);
      payingTenants.add(t.tenantId());
      paying.add(crew.add(new ReplicateWriter("paying-" + i, nodes, tally, t.key(), 1)));
    }
    List<ReplicateWriter> free = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      free.add(
          crew.add(new ReplicateWriter("project-" + i, nodes, tally, Http.newProjectToken(), 4)));
    }
    List<SnapshotWriter> snapshots = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      snapshots.add(
          crew.add(new SnapshotWriter("snap-" + i, nodes, tally, Http.newProjectToken())));
    }
    List<PushWriter> pushers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pushers.add(
          crew.add(new PushWriter("push-" + i, nodes, tally, "kill-" + UUID.randomUUID(), 30, 3)));
    }
    crew.start();
    long beforeKill = crew.awaitAcknowledged(0, 300, 20_000);
    long pid = node.pid();
    node.kill();
    long atKill = crew.acknowledged();
    System.out.printf(
        "[faults] ServerKillIT: SIGKILL of the server JVM (pid %d) after %d acknowledged writes%n",
        pid, atKill);
    Thread.sleep(1000);
    long restarting = System.nanoTime();
    node.start();
    System.out.printf(
        "[faults] ServerKillIT: server restarted on the same database in %d ms%n",
        (System.nanoTime() - restarting) / 1_000_000);
    long after = crew.awaitAcknowledged(crew.acknowledged(), 200, 30_000);
    crew.stop();
    System.out.printf("[faults] ServerKillIT: clients saw %s%n", tally);
    assertEquals(List.of(), tally.violations());
    assertTrue(beforeKill > 0 && after > atKill, "the writers made progress on both sides");

    long blocks = 0;
    for (int i = 0; i < paying.size(); i++) {
      long stored = paying.get(i).verify(http);
      paying.get(i).verifyLedger(http, payingTenants.get(i), deposit, stored);
      blocks += stored;
    }
    for (ReplicateWriter w : free) {
      blocks += w.verify(http);
    }
    long snaps = 0;
    for (SnapshotWriter w : snapshots) {
      snaps += w.verify(http);
    }
    long bundles = 0;
    for (PushWriter w : pushers) {
      bundles += w.verify(http);
    }
    System.out.printf(
        "[faults] ServerKillIT: %d writes acknowledged (%d before the kill); verified after the"
            + " restart: %d replicated blocks (hash chains and ledgers), %d snapshots, %d bundles"
            + " of 30 rows in 3 chunks; clients saw %s%n",
        crew.acknowledged(), atKill, blocks, snaps, bundles, tally);
    assertEquals(List.of(), tally.violations());
    for (FaultClient w : crew.writers) {
      assertEquals(null, w.failure(), w.name);
    }
  }
}
