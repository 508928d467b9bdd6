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
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * write (a server pointed at one alone is not ready and answers writes 503); every acknowledged
 * write reads back whole.
 */
@Tag("once")
class FailoverIT {
  /** A request may wait for the pool (10 s) and then for a hung primary (the socket timeout). */
  static final long BOUND_MILLIS = 30_000;

  static PatroniCluster cluster;
  static NodeProcess node;

  /** A node pointed at the first primary alone, as by a mistake: it is a standby after failover. */
  static NodeProcess pinned;

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
    String first = cluster.leader();
    pinned =
        new NodeProcess(
                "pinned-node",
                NodeProcess.port(6),
                NodeProcess.port(7),
                cluster.port(first),
                "-Dsealsync.agent-state.rate-limit.per-second=0")
            .variable(
                "sealsync.db.url",
                "jdbc:postgresql://127.0.0.1:" + cluster.port(first) + "/postgres")
            .variable("sealsync.db.socket-timeout", "5")
            .start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (pinned != null) {
        pinned.close();
      }
      if (node != null) {
        node.close();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  /**
   * The node whose only database is now a standby: not ready (with {@code writable: false}), its
   * writes answered 503 with Retry-After, never 500; reads still served.
   */
  private static void pinnedToAStandbyRefusesWritesWith503(String standby) throws Exception {
    Http http = pinned.http();
    Http.Reply ready = null;
    for (int i = 0; i < 60; i++) {
      ready = pinned.healthHttp().health("/health/ready");
      if (ready.status() == 503 && ready.text().contains("\"writable\":false")) {
        break;
      }
      Thread.sleep(500);
    }
    assertEquals(503, ready.status(), ready.text());
    assertTrue(ready.text().contains("\"writable\":false"), ready.text());
    String token = Http.newProjectToken();
    ReplicationClient writer = new ReplicationClient(http, token);
    Set<Integer> seen = new java.util.TreeSet<>();
    for (int i = 0; i < 5; i++) {
      java.net.http.HttpResponse<byte[]> r =
          http.exchange(
              "POST",
              ReplicationClient.ENDPOINT + "/replicate",
              "Bearer " + token,
              Map.of("Content-Type", "application/json"),
              writer
                  .prepare(List.of(ReplicationClient.blob(100, i)))
                  .body()
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      seen.add(r.statusCode());
      assertEquals(
          503, r.statusCode(), new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
      assertTrue(r.headers().firstValue("Retry-After").isPresent(), "no Retry-After");
    }
    Http.Reply head = http.get(ReplicationClient.ENDPOINT + "/head", token);
    assertEquals(404, head.status(), head.text());
    System.out.printf(
        "[faults] FailoverIT: a node pointed at %s alone, now a standby: not ready (writable:"
            + " false), writes answered %s with Retry-After, reads served%n",
        standby, seen);
    pinned.close();
    pinned = null;
  }

  @Test
  void writesSurviveTheDatabasesFailoverAndAHungPrimary() throws Exception {
    Http http = node.http();
    List<Http> nodes = List.of(http);
    Tally tally = new Tally(BOUND_MILLIS);
    MixedLoad load = new MixedLoad(http, tally, "failover-", 2, 10, 2);
    Crew crew = load.crew;
    crew.add(
        new Prober("reader", nodes, tally)
            .probe(
                "head (live key)",
                ReplicationClient.ENDPOINT + "/head",
                "Bearer " + load.paid.key(),
                Set.of(200, 404))
            .probe(
                "pull",
                "/sync/pull?after_bundle_seq=0&max_bundles=1",
                "Bearer " + load.pushers.get(0).token,
                Map.of("Oversync-Source-ID", "probe"),
                Set.of(200)));
    crew.start();
    crew.awaitAcknowledged(0, 200, 30_000);

    // 1. The primary dies: its PostgreSQL and its Patroni, SIGKILL. In strict synchronous mode the
    // promoted standby commits nothing until a synchronous standby is back (so that no write it
    // acknowledges can be lost): the old primary rejoins as that standby.
    String first = cluster.leader();
    long before503 = tally.count(503);
    long atKill = crew.acknowledged();
    cluster.killNode(first);
    long killed = System.nanoTime();
    // Writes acknowledged from now on were made after the kill.
    FirstAck resumed = new FirstAck(crew, crew.acknowledged());
    String second = cluster.awaitNewLeader(first, Duration.ofSeconds(90));
    assertNotNull(second, "no new leader after the primary died:\n" + cluster.describe());
    long promotedMillis = (System.nanoTime() - killed) / 1_000_000;
    cluster.restartPatroni(first);
    cluster.awaitStreamingReplica(first, Duration.ofSeconds(90));
    cluster.awaitSyncStandby(first, Duration.ofSeconds(90));
    crew.awaitAcknowledged(atKill, 50, 90_000);
    long killed503 = tally.count(503) - before503;
    System.out.printf(
        "[faults] FailoverIT: SIGKILL of the primary %s after %d acknowledged writes; %s promoted"
            + " after %d ms; %s back as its synchronous standby; clients wrote again %d ms after"
            + " the kill; %d answers 503 with Retry-After meanwhile%n",
        first, atKill, second, promotedMillis, first, resumed.millisAfter(killed), killed503);
    assertNotEquals(first, second);
    assertTrue(crew.acknowledged() > atKill, "writes resumed on the new primary");
    // The old primary is a standby now, and takes no write.
    assertTrue(cluster.isInRecovery(first), first + " is a standby again");
    pinnedToAStandbyRefusesWritesWith503(first);

    // 2. The new primary hangs (SIGSTOP of its Patroni and PostgreSQL) longer than Patroni's TTL:
    // the other node takes the leader key and is promoted. The hung node's PostgreSQL still
    // believes it is a primary, but its commits wait for a synchronous standby that now follows
    // the new leader, so none is acknowledged; on resume its Patroni finds the key held by the
    // other node and demotes it, and it rejoins as the synchronous standby (pg_rewind).
    long atPause = crew.acknowledged();
    long beforePause503 = tally.count(503);
    cluster.pause(second);
    long paused = System.nanoTime();
    FirstAck afterPause = new FirstAck(crew, crew.acknowledged());
    String third = cluster.awaitNewLeader(second, Duration.ofSeconds(90));
    assertNotNull(third, "no new leader while the primary hung:\n" + cluster.describe());
    long pausedPromotedMillis = (System.nanoTime() - paused) / 1_000_000;
    long acknowledgedWhilePaused = crew.acknowledged() - atPause;
    cluster.resume(second);
    cluster.awaitStreamingReplica(second, Duration.ofSeconds(90));
    cluster.awaitSyncStandby(second, Duration.ofSeconds(90));
    assertEquals(third, cluster.leader(), "the resumed node took the leadership back");
    assertTrue(cluster.isInRecovery(second), second + " is a standby after the resume");
    crew.awaitAcknowledged(atPause, 50, 90_000);
    System.out.printf(
        "[faults] FailoverIT: SIGSTOP of the primary %s after %d acknowledged writes; %s promoted"
            + " after %d ms (%d writes acknowledged meanwhile); %s resumed and back as its"
            + " synchronous standby; clients wrote again %d ms after the pause; %d answers 503%n",
        second,
        atPause,
        third,
        pausedPromotedMillis,
        acknowledgedWhilePaused,
        second,
        afterPause.millisAfter(paused),
        tally.count(503) - beforePause503);

    // Watch streams follow: each watcher sees its user's last bundle, committed after both
    // failovers. Everything acknowledged, before, during and after both, reads back whole (a write
    // acknowledged through the hung primary would have been rewound away and missing here).
    load.awaitWatchersCaughtUp(Duration.ofSeconds(20));
    System.out.println("[faults] FailoverIT: " + load.verify(http));
    assertTrue(killed503 + tally.count(503) > 0, "the failovers were seen as 503s");
  }

  /** When the crew's writes first went past a count: the failover time as clients saw it. */
  static final class FirstAck {
    private final java.util.concurrent.CompletableFuture<Long> at =
        new java.util.concurrent.CompletableFuture<>();

    FirstAck(Crew crew, long count) {
      Thread t =
          new Thread(
              () -> {
                while (!at.isDone()) {
                  if (crew.acknowledged() > count) {
                    at.complete(System.nanoTime());
                    return;
                  }
                  try {
                    Thread.sleep(20);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "first-ack");
      t.setDaemon(true);
      t.start();
    }

    long millisAfter(long nanos) throws Exception {
      return (at.get(90, java.util.concurrent.TimeUnit.SECONDS) - nanos) / 1_000_000;
    }
  }
}
