package io.sealsync.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sealsync.agentstate.ReplicationClient;
import io.sealsync.testsupport.CrashablePostgres;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.NodeProcess;
import io.sealsync.testsupport.PgBouncer;
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
    MixedLoad load = new MixedLoad(http, tally, "bouncer-", 3, 20, 2);
    Crew crew = load.crew;
    crew.add(
        new Prober("reader", nodes, tally)
            .probe(
                "replay",
                ReplicationClient.ENDPOINT + "/replay?since=-1",
                "Bearer " + load.free.token,
                Set.of(200))
            .probe(
                "pull",
                "/sync/pull?after_bundle_seq=0&max_bundles=5",
                "Bearer " + load.pushers.get(0).token,
                Map.of("Oversync-Source-ID", "probe"),
                Set.of(200))
            .probe(
                "admin ledger",
                "/admin/tenants/" + load.paid.tenantId() + "/ledger",
                Prober.basic(Http.ADMIN_USER, Http.ADMIN_PASSWORD),
                Set.of(200))
            .probe("status syncx", "/syncx/status", null, Set.of(200)));
    crew.start();
    crew.awaitAcknowledged(0, 400, 60_000);
    load.awaitWatchersCaughtUp(Duration.ofSeconds(15));
    System.out.println(
        "[faults] PgBouncerIT: through PgBouncer (transaction mode): " + load.verify(http));
    assertEquals(0, tally.count5xx(), "no 5xx through the pooler: " + tally);
  }
}
