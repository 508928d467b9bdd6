package io.sealsync.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.agentstate.BlockHash;
import io.sealsync.agentstate.HashChain;
import io.sealsync.agentstate.ReplicationClient;
import io.sealsync.billing.CreditArithmetic;
import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.NodeProcess;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two nodes on one PostgreSQL: node A, a Liberty server of this test's own, and node B, the test
 * server. Clients spread over both see one service.
 */
@Tag("once")
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodeIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;

  static NodeProcess nodeA;

  @BeforeAll
  static void startNodeA() throws Exception {
    nodeA =
        new NodeProcess(
                "node-a",
                NodeProcess.port(2),
                NodeProcess.port(7),
                Integer.getInteger("sealsync.test.db.port", 55433))
            .start();
  }

  @AfterAll
  static void stopNodeA() throws Exception {
    if (nodeA != null) {
      nodeA.close();
    }
  }

  Http a() {
    return nodeA.http();
  }

  Http b() {
    return new Http(base);
  }

  /**
   * The rate limit is per node (docs/reliability.md): each node keeps its own buckets, so a tenant
   * that node A limits is still served by node B, and N nodes allow N times the configured rate.
   */
  @Test
  @Order(1)
  void theRateLimitIsPerNode() throws Exception {
    String token = Http.newProjectToken();
    String head = ReplicationClient.ENDPOINT + "/head";
    // Node A: requests until it limits the tenant (the test servers allow a burst of 100, then 50
    // a second).
    int sent = 0;
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      boolean limited = false;
      while (!limited) {
        assertTrue(sent < 2000, "node A never limited the tenant");
        List<Future<Http.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          replies.add(pool.submit(() -> a().get(head, token)));
        }
        for (Future<Http.Reply> f : replies) {
          limited |= f.get().status() == 429;
        }
        sent += replies.size();
      }
    } finally {
      pool.shutdownNow();
    }
    // Node B has a bucket of its own for the tenant, full: 80 requests in a row, none limited.
    for (int i = 0; i < 80; i++) {
      assertEquals(404, b().get(head, token).status(), "request " + i + " on node B");
    }
    System.out.printf(
        "[faults] TwoNodeIT: node A limited a tenant after %d requests; node B then served the"
            + " same tenant 80 requests in a row: the limit is per node%n",
        sent);
  }

  /** Writers of one tenant on both nodes race for the head: one chain, each block paid once. */
  @Test
  @Order(2)
  void concurrentReplicateOfOneTenantThroughBothNodesBuildsOneChain() throws Exception {
    Http.LiveTenant t = b().liveTenant(1000, null, null);
    int writers = 8;
    int blocksEach = 6;
    Map<Long, byte[]> acked = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        results.add(
            pool.submit(
                () -> {
                  int stored = 0;
                  for (int attempt = 0; stored < blocksEach; attempt++) {
                    if (attempt > 1000) {
                      throw new IllegalStateException("writer " + writer + " starved");
                    }
                    // Each request to the other node than the last.
                    Http node = (writer + attempt) % 2 == 0 ? a() : b();
                    ReplicationClient c = new ReplicationClient(node, t.key());
                    Http.Reply head = c.head();
                    if (head.status() == 429) {
                      Thread.sleep(200);
                      continue;
                    }
                    if (head.status() == 200) {
                      c.next = head.json().getJsonNumber("sequence_number").longValue() + 1;
                      c.root = head.json().getString("merkle_root");
                    }
                    long seq = c.next;
                    byte[] block =
                        ReplicationClient.blob(500 + writer * 10 + stored, seq * 31 + writer);
                    Http.Reply r = c.append(List.of(block));
                    if (r.status() == 200) {
                      acked.put(seq, block);
                      stored++;
                    } else if (r.status() == 429) {
                      Thread.sleep(200);
                    } else if (r.status() != 409 && r.status() != 422) {
                      throw new IllegalStateException(r.status() + " " + r.text());
                    }
                  }
                  return stored;
                }));
      }
      for (Future<Integer> f : results) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    JsonArray chunks = new ReplicationClient(a(), t.key()).replay(-1).json().getJsonArray("chunks");
    assertEquals(writers * blocksEach, chunks.size());
    BlockHash root = HashChain.GENESIS;
    long price = 0;
    for (int i = 0; i < chunks.size(); i++) {
      JsonObject c = chunks.getJsonObject(i);
      assertEquals(i, c.getInt("sequence_number"));
      byte[] data = Base64.getDecoder().decode(c.getString("ciphertext_b64"));
      assertEquals(java.util.Arrays.toString(acked.get((long) i)), java.util.Arrays.toString(data));
      root = HashChain.next(root, new BlockHash(ReplicationClient.sha256Hex(data)));
      assertEquals(root.hex(), c.getString("merkle_root"));
      price += CreditArithmetic.price(data.length);
    }
    JsonArray ledger =
        b().admin("GET", "/admin/tenants/" + t.tenantId() + "/ledger?limit=1000", null).array();
    long debits = 0;
    long charged = 0;
    for (JsonObject e : ledger.getValuesAs(JsonObject.class)) {
      if (e.getString("reason").equals("replicate")) {
        debits++;
        charged -= e.getJsonNumber("delta_milli").longValue();
      }
    }
    assertEquals(chunks.size(), debits, "one debit per stored block");
    assertEquals(price, charged, "no block charged twice");
    System.out.printf(
        "[faults] TwoNodeIT: %d writers on both nodes appended %d blocks to one tenant: one"
            + " verified chain, %d debits for %d blocks%n",
        writers, chunks.size(), debits, chunks.size());
  }

  /**
   * One user's devices push through both nodes at once, each request of a session to the other node
   * than the last: every bundle whole, in one order, each device's bundles in its own order.
   */
  @Test
  @Order(3)
  void concurrentPushOfOneUserThroughBothNodesKeepsBundleOrder() throws Exception {
    Tally tally = new Tally(30_000);
    String user = "two-nodes-" + UUID.randomUUID();
    Crew crew = new Crew();
    PushWriter one = crew.add(new PushWriter("dev-1", List.of(a(), b()), tally, user, 12, 3));
    PushWriter two = crew.add(new PushWriter("dev-2", List.of(b(), a()), tally, user, 12, 3));
    one.connect();
    crew.start();
    crew.awaitAcknowledged(0, 30, 30_000);
    crew.stop();
    assertEquals(List.of(), tally.violations());
    long bundles = one.verify(b());
    assertEquals(bundles, two.verify(a()));
    assertEquals(one.acked.size() + two.acked.size(), bundles);
    System.out.printf(
        "[faults] TwoNodeIT: two devices of one user pushed %d bundles through both nodes at once,"
            + " pulled contiguous, whole and in order%n",
        bundles);
  }

  /** A watcher on node A hears of commits made on node B (LISTEN/NOTIFY across nodes). */
  @Test
  @Order(4)
  void aWatcherOnNodeASeesCommitsMadeOnNodeB() throws Exception {
    Tally tally = new Tally(30_000);
    Crew crew = new Crew();
    PushWriter writer =
        crew.add(new PushWriter("on-b", List.of(b()), tally, "watched-" + UUID.randomUUID(), 5, 1));
    writer.connect();
    Watcher watcher = crew.add(new Watcher("on-a", a(), writer.token, tally));
    crew.start();
    crew.awaitAcknowledged(0, 10, 30_000);
    writer.stop();
    Thread.sleep(500);
    long last = writer.lastAcked;
    assertTrue(
        watcher.awaitSeen(last, Duration.ofSeconds(10)),
        "node A's watcher saw " + watcher.lastSeen() + " of " + last);
    crew.stop();
    assertEquals(List.of(), tally.violations());
    System.out.printf(
        "[faults] TwoNodeIT: a watcher on node A received %d events for %d bundles committed on"
            + " node B%n",
        watcher.events.get(), last);
  }

  /**
   * Node A is drained (graceful shutdown) while clients write through both: what either node
   * acknowledged is all there, and node B serves on.
   */
  @Test
  @Order(5)
  void drainingNodeALosesNothingWhileNodeBServes() throws Exception {
    Tally tally = new Tally(60_000);
    Crew crew = new Crew();
    List<Http> both = List.of(a(), b());
    List<ReplicateWriter> replicas = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      replicas.add(
          crew.add(new ReplicateWriter("drain-" + i, both, tally, Http.newProjectToken(), 2)));
    }
    List<PushWriter> pushers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      pushers.add(
          crew.add(
              new PushWriter("drain-push-" + i, both, tally, "drain-" + UUID.randomUUID(), 10, 2)));
    }
    crew.start();
    long beforeDrain = crew.awaitAcknowledged(0, 100, 30_000);
    long draining = System.nanoTime();
    nodeA.stop();
    long drainMillis = (System.nanoTime() - draining) / 1_000_000;
    long atStop = crew.acknowledged();
    long after = crew.awaitAcknowledged(atStop, 100, 30_000);
    crew.stop();
    assertEquals(List.of(), tally.violations());
    assertTrue(after > atStop, "node B served on");
    long blocks = 0;
    for (ReplicateWriter w : replicas) {
      blocks += w.verify(b());
    }
    long bundles = 0;
    for (PushWriter p : pushers) {
      bundles += p.verify(b());
    }
    System.out.printf(
        "[faults] TwoNodeIT: node A drained in %d ms after %d acknowledged writes (%d at its"
            + " stop); %d acknowledged in all, verified on node B: %d blocks, %d bundles; clients"
            + " saw %s%n",
        drainMillis, beforeDrain, atStop, crew.acknowledged(), blocks, bundles, tally);
  }
}
