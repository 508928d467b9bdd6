package io.sealsync.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sealsync.agentstate.ReplicationClient;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.NodeProcess;
import io.sealsync.testsupport.PatroniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The database's own failover: two PostgreSQL nodes under Patroni (etcd, synchronous replication),
 * the server pointed at both through one multi-host URL with {@code targetServerType=primary}.
 * Under a mixed load the primary dies (SIGKILL of its PostgreSQL and its Patroni); later the new
 * primary hangs (SIGSTOP) for longer than Patroni's TTL and is resumed. Clients only ever see 503
 * with Retry-After while there is no primary, within bounded time; the same server process serves
 * again by itself, watch streams included; the old primaries come back as standbys and take no
 * write; every acknowledged write reads back whole.
 */
@Tag("once")
class FailoverIT {
  /** A request may wait for the pool (10 s) and then for a hung primary (the socket timeout). */
  static final long BOUND_MILLIS = 30_000;

  static PatroniCluster cluster;
  static NodeProcess node;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(PatroniCluster.installed(), PatroniCluster.missing());
    Path work =
        Path.of(
            System.getProperty("java.io.tmpdir"),
            "sealsync-patroni-" + ProcessHandle.current().pid());
    cluster =
        PatroniCluster.start(work, Integer.getInteger("sealsync.test.patroni.port.base", 19300));
    cluster.createDemoSchema();
    node =
        new NodeProcess(
                "failover-node",
                NodeProcess.port(8),
                NodeProcess.port(9),
                cluster.port(cluster.leader()),
                "-Dsealsync.rowsync.retained-bundles-per-user=1000000",
                "-Dsealsync.agent-state.rate-limit.per-second=0")
            .variable("sealsync.db.url", cluster.jdbcUrl())
            .variable("sealsync.db.socket-timeout", "5")
            .start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (node != null) {
        node.close();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  @Test
  void writesSurviveTheDatabasesFailoverAndAHungPrimary() throws Exception {
    Http http = node.http();
    List<Http> nodes = List.of(http);
    Tally tally = new Tally(BOUND_MILLIS);
    Crew crew = new Crew();
    long deposit = 1_000_000;
    Http.LiveTenant paid = http.liveTenant(deposit, null, null);
    ReplicateWriter paying = crew.add(new ReplicateWriter("paying", nodes, tally, paid.key(), 1));
    ReplicateWriter free =
        crew.add(new ReplicateWriter("project", nodes, tally, Http.newProjectToken(), 3));
    SnapshotWriter snapshots =
        crew.add(new SnapshotWriter("snap", nodes, tally, Http.newProjectToken()));
    List<PushWriter> pushers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      PushWriter p =
          crew.add(
              new PushWriter("push-" + i, nodes, tally, "failover-" + UUID.randomUUID(), 10, 2));
      p.connect();
      pushers.add(p);
      crew.add(new Watcher("watch-" + i, http, p.token, tally));
    }
    crew.add(
        new Prober("reader", nodes, tally)
            .probe(
                "head (live key)",
                ReplicationClient.ENDPOINT + "/head",
                "Bearer " + paid.key(),
                Set.of(200, 404))
            .probe(
                "pull",
                "/sync/pull?after_bundle_seq=0&max_bundles=1",
                "Bearer " + pushers.get(0).token,
                Map.of("Oversync-Source-ID", "probe"),
                Set.of(200)));
    crew.start();
    crew.awaitAcknowledged(0, 200, 30_000);

    // 1. The primary dies: its PostgreSQL and its Patroni, SIGKILL.
    String first = cluster.leader();
    long before503 = tally.count(503);
    long atKill = crew.acknowledged();
    cluster.killNode(first);
    long killed = System.nanoTime();
    String second = cluster.awaitNewLeader(first, Duration.ofSeconds(90));
    assertNotNull(second, "no new leader after the primary died:\n" + cluster.describe());
    long promoted = System.nanoTime();
    long resumedAt = crew.awaitAcknowledged(crew.acknowledged(), 50, 90_000);
    long clientsMillis = (System.nanoTime() - killed) / 1_000_000;
    long killed503 = tally.count(503) - before503;
    System.out.printf(
        "[faults] FailoverIT: SIGKILL of the primary %s after %d acknowledged writes; %s promoted"
            + " after %d ms; clients wrote again within %d ms of the kill; %d answers 503 with"
            + " Retry-After meanwhile%n",
        first, atKill, second, (promoted - killed) / 1_000_000, clientsMillis, killed503);
    assertNotEquals(first, second);
    assertTrue(resumedAt > atKill, "writes resumed on the new primary");

    // The old primary comes back as a standby of the new one, and takes no write.
    cluster.restartPatroni(first);
    cluster.awaitStreamingReplica(first, Duration.ofSeconds(90));
    // Synchronous mode promotes only the synchronous standby: the next failover needs it back.
    cluster.awaitSyncStandby(first, Duration.ofSeconds(90));
    crew.awaitAcknowledged(crew.acknowledged(), 50, 60_000);
    assertTrue(cluster.isInRecovery(first), first + " is a standby again");

    // 2. The new primary hangs (SIGSTOP) longer than Patroni's TTL, then comes back.
    long atPause = crew.acknowledged();
    long beforePause503 = tally.count(503);
    cluster.pause(second);
    long paused = System.nanoTime();
    String third = cluster.awaitNewLeader(second, Duration.ofSeconds(90));
    assertNotNull(third, "no new leader while the primary hung:\n" + cluster.describe());
    long pausedPromoted = System.nanoTime();
    crew.awaitAcknowledged(crew.acknowledged(), 50, 90_000);
    long pausedClientsMillis = (System.nanoTime() - paused) / 1_000_000;
    cluster.resume(second);
    assertNotNull(
        cluster.awaitStreamingReplica(second, Duration.ofSeconds(90)),
        second + " did not come back as a standby:\n" + cluster.describe());
    long afterResume = crew.acknowledged();
    crew.awaitAcknowledged(afterResume, 50, 60_000);
    assertTrue(cluster.isInRecovery(second), second + " is a standby after it was resumed");
    System.out.printf(
        "[faults] FailoverIT: SIGSTOP of the primary %s after %d acknowledged writes; %s promoted"
            + " after %d ms; clients wrote again within %d ms of the pause; %d answers 503;"
            + " %s resumed as a standby%n",
        second,
        atPause,
        third,
        (pausedPromoted - paused) / 1_000_000,
        pausedClientsMillis,
        tally.count(503) - beforePause503,
        second);

    // Watch streams follow: each watcher sees its user's last bundle, committed after both
    // failovers.
    Thread.sleep(1000);
    for (PushWriter p : pushers) {
      p.stop();
    }
    Thread.sleep(2000);
    for (int i = 0; i < pushers.size(); i++) {
      Watcher w = crew.watchers.get(i);
      long last = pushers.get(i).lastAcked;
      assertTrue(
          w.awaitSeen(last, Duration.ofSeconds(20)),
          w.name + " saw bundle " + w.lastSeen() + " of " + last);
    }
    crew.stop();

    // Everything acknowledged, before, during and after both failovers, reads back whole.
    long blocks = paying.verify(http);
    paying.verifyLedger(http, paid.tenantId(), deposit, blocks);
    blocks += free.verify(http);
    long snaps = snapshots.verify(http);
    long bundles = 0;
    for (PushWriter p : pushers) {
      bundles += p.verify(http);
    }
    System.out.printf(
        "[faults] FailoverIT: %d writes acknowledged, verified on the new primary: %d replicated"
            + " blocks, %d snapshots, %d bundles; clients saw %s%n",
        crew.acknowledged(), blocks, snaps, bundles, tally);
    assertEquals(List.of(), tally.violations());
    for (FaultClient w : crew.writers) {
      assertEquals(null, w.failure(), w.name);
    }
    assertTrue(killed503 + tally.count(503) > 0, "the failovers were seen as 503s");
  }
}
