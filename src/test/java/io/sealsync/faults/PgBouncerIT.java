package io.sealsync.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sealsync.agentstate.ReplicationClient;
import io.sealsync.testsupport.CrashablePostgres;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.NodeProcess;
import io.sealsync.testsupport.PgBouncer;
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
 * The server behind PgBouncer in transaction pooling mode, configured as docs/deploying.md says: no
 * server-side prepared statements ({@code sealsync.db.prepare-threshold=0}) and the watch listener
 * on a direct connection of its own ({@code sealsync.rowsync.watch.jdbc-url}), since {@code LISTEN}
 * needs a session. The core flows of both protocols run through the pooler under load, and
 * everything acknowledged reads back whole.
 */
@Tag("once")
class PgBouncerIT {
  static CrashablePostgres db;
  static PgBouncer bouncer;
  static NodeProcess node;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(PgBouncer.installed(), "PgBouncer is not installed (Debian package pgbouncer)");
    int base = Integer.getInteger("sealsync.test.patroni.port.base", 19300);
    db = CrashablePostgres.fresh(base + 40, "pgbouncer-db");
    bouncer =
        PgBouncer.start(
            Path.of(
                System.getProperty("java.io.tmpdir"),
                "sealsync-pgbouncer-" + ProcessHandle.current().pid()),
            base + 41,
            "127.0.0.1",
            db.port(),
            "transaction");
    node =
        new NodeProcess(
                "pgbouncer-node",
                NodeProcess.port(8),
                NodeProcess.port(9),
                bouncer.port(),
                "-Dsealsync.agent-state.rate-limit.per-second=0",
                "-Dsealsync.rowsync.watch.jdbc-url=jdbc:postgresql://127.0.0.1:"
                    + db.port()
                    + "/postgres")
            .variable(
                "sealsync.db.url", "jdbc:postgresql://127.0.0.1:" + bouncer.port() + "/postgres")
            .variable("sealsync.db.prepare-threshold", "0")
            .start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (node != null) {
        node.close();
      }
    } finally {
      try {
        if (bouncer != null) {
          bouncer.close();
        }
      } finally {
        if (db != null) {
          db.close();
        }
      }
    }
  }

  @Test
  void bothProtocolsWorkThroughATransactionModePooler() throws Exception {
    Http http = node.http();
    List<Http> nodes = List.of(http);
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
              new PushWriter("push-" + i, nodes, tally, "bouncer-" + UUID.randomUUID(), 20, 2));
      p.connect();
      pushers.add(p);
      crew.add(new Watcher("watch-" + i, http, p.token, tally));
    }
    crew.add(
        new Prober("reader", nodes, tally)
            .probe(
                "replay",
                ReplicationClient.ENDPOINT + "/replay?since=-1",
                "Bearer " + free.token,
                Set.of(200))
            .probe(
                "pull",
                "/sync/pull?after_bundle_seq=0&max_bundles=5",
                "Bearer " + pushers.get(0).token,
                Map.of("Oversync-Source-ID", "probe"),
                Set.of(200))
            .probe(
                "admin ledger",
                "/admin/tenants/" + paid.tenantId() + "/ledger",
                Prober.basic(Http.ADMIN_USER, Http.ADMIN_PASSWORD),
                Set.of(200))
            .probe("status syncx", "/syncx/status", null, Set.of(200)));
    crew.start();
    crew.awaitAcknowledged(0, 400, 60_000);
    for (PushWriter p : pushers) {
      p.stop();
    }
    Thread.sleep(1000);
    for (int i = 0; i < pushers.size(); i++) {
      Watcher w = crew.watchers.get(i);
      long last = pushers.get(i).lastAcked;
      assertTrue(last > 0, pushers.get(i).name + " pushed nothing");
      assertTrue(
          w.awaitSeen(last, Duration.ofSeconds(15)),
          w.name + " saw bundle " + w.lastSeen() + " of " + last);
    }
    crew.stop();

    long blocks = paying.verify(http);
    paying.verifyLedger(http, paid.tenantId(), deposit, blocks);
    blocks += free.verify(http);
    long snaps = snapshots.verify(http);
    long bundles = 0;
    for (PushWriter p : pushers) {
      bundles += p.verify(http);
    }
    System.out.printf(
        "[faults] PgBouncerIT: through PgBouncer (transaction mode): %d writes acknowledged,"
            + " verified: %d replicated blocks, %d snapshots, %d bundles; watchers saw every last"
            + " bundle; clients saw %s%n",
        crew.acknowledged(), blocks, snaps, bundles, tally);
    assertEquals(List.of(), tally.violations());
    assertEquals(0, tally.count5xx(), "no 5xx through the pooler: " + tally);
    for (FaultClient w : crew.writers) {
      assertEquals(null, w.failure(), w.name);
    }
  }
}
