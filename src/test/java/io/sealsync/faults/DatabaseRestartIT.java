package io.sealsync.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.agentstate.ReplicationClient;
import io.sealsync.testsupport.CrashablePostgres;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.NodeProcess;
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
 * PostgreSQL, with the run command's durable settings, crashes under load (SIGKILL of the
 * postmaster and every backend), stays down about 10 s and starts again on the same port and data.
 * During the outage every request is answered promptly with 503 and Retry-After; afterwards the
 * same server process serves again, the watch listener catches up, and nothing acknowledged is
 * lost.
 */
@Tag("once")
class DatabaseRestartIT {
  static final long OUTAGE_MILLIS = 10_000;

  static CrashablePostgres db;
  static NodeProcess node;

  static SingleNode rig;

  @BeforeAll
  static void start() throws Exception {
    rig = SingleNode.start("restart", 1, 6, 4);
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
  void theServerAnswers503DuringADatabaseOutageAndRecoversWithoutLosingAWrite() throws Exception {
    Http http = node.http();
    List<Http> nodes = List.of(http);
    // No answer may take longer than this, outage or not: a request never hangs.
    Tally tally = new Tally(20_000);
    Crew crew = new Crew();
    long deposit = 1_000_000;
    Http.LiveTenant paid = http.liveTenant(deposit, null, null);
    ReplicateWriter paying = crew.add(new ReplicateWriter("paying", nodes, tally, paid.key(), 1));
    ReplicateWriter free =
        crew.add(new ReplicateWriter("project", nodes, tally, Http.newProjectToken(), 3));
    SnapshotWriter snapshots =
        crew.add(new SnapshotWriter("snap", nodes, tally, Http.newProjectToken()));
    List<PushWriter> pushers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      PushWriter p =
          crew.add(
              new PushWriter("push-" + i, nodes, tally, "restart-" + UUID.randomUUID(), 20, 2));
      p.connect();
      pushers.add(p);
      crew.add(new Watcher("watch-" + i, http, p.token, tally));
    }
    // Reads of every kind, authenticated the ways the server knows, and the operator API.
    String user = pushers.get(0).user;
    crew.add(
        new Prober("reader", nodes, tally)
            .health(node.healthHttp())
            .probe(
                "head (live key)",
                ReplicationClient.ENDPOINT + "/head",
                "Bearer " + paid.key(),
                Set.of(200, 404))
            .probe(
                "replay (project token)",
                ReplicationClient.ENDPOINT + "/replay?since=-1",
                "Bearer " + free.token,
                Set.of(200))
            .probe(
                "lineage",
                SnapshotWriter.SNAPSHOT + "/" + snapshots.agent + "/lineage",
                "Bearer " + snapshots.token,
                Set.of(200))
            .probe(
                "pull",
                "/sync/pull?after_bundle_seq=0&max_bundles=1",
                "Bearer " + pushers.get(0).token,
                Map.of("Oversync-Source-ID", "probe"),
                Set.of(200))
            .probe(
                "capabilities",
                "/sync/capabilities",
                "Bearer " + pushers.get(0).token,
                Map.of("Oversync-Source-ID", "probe"),
                Set.of(200))
            .probe(
                "admin tenant",
                "/admin/tenants/" + paid.tenantId(),
                Prober.basic(Http.ADMIN_USER, Http.ADMIN_PASSWORD),
                Set.of(200))
            .probe(
                "admin ledger",
                "/admin/tenants/" + paid.tenantId() + "/ledger",
                Prober.basic(Http.ADMIN_USER, Http.ADMIN_PASSWORD),
                Set.of(200))
            .probe("health ready", "/health/ready", null, Set.of(200, 503))
            .probe("health syncx", "/syncx/health", null, Set.of(200, 503))
            .probe("status syncx", "/syncx/status", null, Set.of(200)));
    crew.start();
    crew.awaitAcknowledged(0, 300, 20_000);

    long before503 = tally.count(503);
    long atCrash = crew.acknowledged();
    long pid = db.crash();
    long crashed = System.nanoTime();
    System.out.printf(
        "[faults] DatabaseRestartIT: SIGKILL of PostgreSQL (postmaster pid %d and its backends)"
            + " after %d acknowledged writes%n",
        pid, atCrash);
    Thread.sleep(OUTAGE_MILLIS);
    long during503 = tally.count(503) - before503;
    long duringAcks = crew.acknowledged() - atCrash;
    db.start();
    long restarted = System.nanoTime();
    System.out.printf(
        "[faults] DatabaseRestartIT: PostgreSQL down %d ms, restarted on the same port and data;"
            + " %d answers 503 with Retry-After meanwhile%n",
        (restarted - crashed) / 1_000_000, during503);
    long resumed = crew.awaitAcknowledged(crew.acknowledged(), 100, 60_000);
    long recoveryMillis = (System.nanoTime() - restarted) / 1_000_000;
    // The watchers hear of every user's latest bundle, the ones missed while the listener was
    // reconnecting included.
    Thread.sleep(1000);
    for (int i = 0; i < pushers.size(); i++) {
      pushers.get(i).stop();
    }
    Thread.sleep(2000);
    for (int i = 0; i < pushers.size(); i++) {
      Watcher w = crew.watchers.get(i);
      long last = pushers.get(i).lastAcked;
      assertTrue(
          w.awaitSeen(last, Duration.ofSeconds(15)),
          w.name + " saw bundle " + w.lastSeen() + " of " + last);
    }
    crew.stop();

    assertTrue(during503 > 0, "the outage was seen as 503s");
    assertTrue(resumed > atCrash + duringAcks, "writes resumed after the restart");
    long blocks = paying.verify(http);
    paying.verifyLedger(http, paid.tenantId(), deposit, blocks);
    blocks += free.verify(http);
    long snaps = snapshots.verify(http);
    long bundles = 0;
    for (PushWriter p : pushers) {
      bundles += p.verify(http);
    }
    System.out.printf(
        "[faults] DatabaseRestartIT: writes resumed %d ms after PostgreSQL restarted, in the same"
            + " server process; %d writes acknowledged (%d before the crash), verified: %d"
            + " replicated blocks, %d snapshots, %d bundles; watchers caught up; clients saw %s%n",
        recoveryMillis, crew.acknowledged(), atCrash, blocks, snaps, bundles, tally);
    assertEquals(List.of(), tally.violations());
    for (FaultClient w : crew.writers) {
      assertEquals(null, w.failure(), w.name);
    }
  }
}
