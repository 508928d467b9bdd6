package io.sealsync.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.agentstate.BlockHash;
import io.sealsync.agentstate.HashChain;
import io.sealsync.agentstate.ReplicationClient;
import io.sealsync.billing.CreditArithmetic;
import io.sealsync.testsupport.Http;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An agent-state worker: appends its own tenant's log, {@code blocksPerRequest} blocks a request,
 * and retries a request it got no answer to unchanged, as the worker does (the server answers it
 * {@code idempotent} if it was stored).
 */
final class ReplicateWriter extends FaultClient {
  final String token;
  final int blocksPerRequest;
  private final Random random;

  /** Every block of an acknowledged request, by sequence number. */
  final Map<Long, byte[]> acked = new ConcurrentHashMap<>();

  /**
   * Every block ever sent, by sequence number: a sequence number is never sent with other bytes.
   */
  final Map<Long, byte[]> sent = new ConcurrentHashMap<>();

  /** The sequence numbers that start a request: a stored log must end just before one of them. */
  final List<Long> requestStarts = new ArrayList<>();

  ReplicateWriter(String name, List<Http> nodes, Tally tally, String token, int blocksPerRequest) {
    super(name, nodes, tally);
    this.token = token;
    this.blocksPerRequest = blocksPerRequest;
    this.random = new Random(name.hashCode());
  }

  @Override
  void work() throws Exception {
    ReplicationClient client = new ReplicationClient(nodes.get(0), token);
    long next = 0;
    String root = ReplicationClient.ZERO_ROOT;
    while (!stopping()) {
      List<byte[]> blocks = new ArrayList<>();
      for (int i = 0; i < blocksPerRequest; i++) {
        byte[] b = new byte[200 + random.nextInt(3000)];
        random.nextBytes(b);
        blocks.add(b);
      }
      client.next = next;
      client.root = root;
      ReplicationClient.Pending pending = client.prepare(blocks);
      synchronized (requestStarts) {
        requestStarts.add(next);
      }
      for (int i = 0; i < blocks.size(); i++) {
        sent.put(next + i, blocks.get(i));
      }
      HttpResponse<byte[]> r = null;
      while (r == null) {
        if (stopping()) {
          return;
        }
        r =
            call(
                "replicate",
                "POST",
                ReplicationClient.ENDPOINT + "/replicate",
                "Bearer " + token,
                Map.of(),
                pending.body().getBytes(StandardCharsets.UTF_8));
      }
      if (r.statusCode() != 200) {
        throw unexpected("replicate at " + next, r);
      }
      for (int i = 0; i < blocks.size(); i++) {
        acked.put(next + i, blocks.get(i));
      }
      acknowledged.addAndGet(blocks.size());
      next = pending.next();
      root = pending.root();
    }
  }

  /**
   * Reads the whole log back (replay) and checks it: one contiguous chain from genesis that
   * verifies, every acknowledged block stored byte for byte, nothing stored that was not sent, and
   * the log ends at a request's boundary (a request is stored whole or not at all). Returns the
   * number of blocks stored.
   */
  long verify(Http http) {
    ReplicationClient reader = new ReplicationClient(http, token);
    BlockHash root = HashChain.GENESIS;
    long expected = 0;
    while (true) {
      Http.Reply page = reader.replay(expected - 1);
      assertEquals(200, page.status(), name + " replay: " + page.text());
      JsonArray chunks = page.json().getJsonArray("chunks");
      for (JsonObject c : chunks.getValuesAs(JsonObject.class)) {
        long seq = c.getJsonNumber("sequence_number").longValue();
        assertEquals(expected, seq, name + ": the log has a gap");
        byte[] data = Base64.getDecoder().decode(c.getString("ciphertext_b64"));
        BlockHash hash = new BlockHash(ReplicationClient.sha256Hex(data));
        assertEquals(hash.hex(), c.getString("block_hash"), name + ": block " + seq + " hash");
        root = HashChain.next(root, hash);
        assertEquals(root.hex(), c.getString("merkle_root"), name + ": chain at " + seq);
        byte[] mine = sent.get(seq);
        assertTrue(mine != null, name + ": block " + seq + " stored but never sent");
        assertArrayEquals(mine, data, name + ": block " + seq + " bytes");
        expected++;
      }
      if (chunks.isEmpty()) {
        break;
      }
    }
    long stored = expected;
    for (long seq : acked.keySet()) {
      assertTrue(seq < stored, name + ": acknowledged block " + seq + " is lost");
    }
    synchronized (requestStarts) {
      assertTrue(
          stored == 0 || requestStarts.contains(stored) || stored == sent.size(),
          name + ": the log ends inside a request, at " + stored);
    }
    if (stored > 0) {
      Http.Reply head = reader.head();
      assertEquals(stored - 1, head.json().getJsonNumber("sequence_number").longValue());
      assertEquals(root.hex(), head.json().getString("merkle_root"), name + ": head root");
    }
    return stored;
  }

  private static long milli(JsonObject ledgerEntry) {
    // credits_milli is the owed sub-cent remainder (agent-state.md §12.2).
    return ledgerEntry.getJsonNumber("credits_after").longValue() * CreditArithmetic.MILLI_PER_CENT
        - ledgerEntry.getInt("credits_milli_after");
  }

  /**
   * A paying tenant's ledger against its stored log (one block a request): one debit per stored
   * block, each the price of that block's bytes, and the balance the deposit minus them all.
   */
  void verifyLedger(Http http, long tenantId, long depositedCents, long stored) {
    assertEquals(1, blocksPerRequest, "the ledger check needs one block a request");
    long price = 0;
    for (long seq = 0; seq < stored; seq++) {
      price += CreditArithmetic.price(sent.get(seq).length);
    }
    // The whole ledger, newest first, a page of 1000 at a time.
    List<JsonObject> all = new ArrayList<>();
    String page = "/admin/tenants/" + tenantId + "/ledger?limit=1000";
    while (true) {
      JsonArray rows = http.admin("GET", page, null).array();
      all.addAll(rows.getValuesAs(JsonObject.class));
      if (rows.size() < 1000) {
        break;
      }
      page =
          "/admin/tenants/"
              + tenantId
              + "/ledger?limit=1000&before="
              + rows.getJsonObject(rows.size() - 1).getJsonNumber("id").longValue();
    }
    JsonArray ledger = jakarta.json.Json.createArrayBuilder(all).build();
    long debits = 0;
    long charged = 0;
    for (JsonObject e : ledger.getValuesAs(JsonObject.class)) {
      if (e.getString("reason").equals("replicate")) {
        debits++;
        charged -= e.getJsonNumber("delta_milli").longValue();
      }
    }
    // Every entry continues the one before it: the balance only falls, so order by it.
    List<JsonObject> entries = new ArrayList<>(ledger.getValuesAs(JsonObject.class));
    entries.sort(java.util.Comparator.comparingLong((JsonObject e) -> -milli(e)));
    for (int i = 1; i < entries.size(); i++) {
      assertEquals(
          milli(entries.get(i - 1)) + entries.get(i).getJsonNumber("delta_milli").longValue(),
          milli(entries.get(i)),
          name + ": ledger entry " + entries.get(i) + " does not continue " + entries.get(i - 1));
    }
    assertEquals(stored, debits, name + ": one debit per stored block");
    assertEquals(price, charged, name + ": debits match the stored bytes");
    JsonObject tenant = http.admin("GET", "/admin/tenants/" + tenantId, null).json();
    long balance =
        tenant.getJsonNumber("credits").longValue() * CreditArithmetic.MILLI_PER_CENT
            - tenant.getInt("credits_milli");
    assertEquals(depositedCents * CreditArithmetic.MILLI_PER_CENT - price, balance, name);
  }
}
