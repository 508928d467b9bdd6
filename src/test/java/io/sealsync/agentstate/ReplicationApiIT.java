package io.sealsync.agentstate;

import static io.sealsync.agentstate.ReplicationClient.blob;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.Http;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The replication log over HTTP: verification, idempotency, split brain, head, replay, billing. */
@ExtendWith(ArquillianExtension.class)
class ReplicationApiIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;
  Http http;
  ReplicationClient client;

  @BeforeEach
  void setUp() {
    http = new Http(base);
    client = new ReplicationClient(http, Http.newProjectToken());
  }

  byte[] receiptKey(String token) {
    Http.Reply key = http.get(ReplicationClient.ENDPOINT + "/receipt-key", token);
    assertEquals(200, key.status(), key.text());
    assertEquals("Ed25519", key.json().getString("algorithm"));
    return Base64.getDecoder().decode(key.json().getString("public_key"));
  }

  @Test
  void theVectorBlockIsAcceptedWithTheVectorRoot() {
    Http.Reply r =
        http.post(
            ReplicationClient.ENDPOINT + "/replicate",
            client.token,
            ReplicateRequestTest.VECTOR_REQUEST);
    assertEquals(200, r.status(), r.text());
    assertEquals("application/json", r.contentType());
    JsonObject body = r.json();
    assertEquals(1, body.getInt("accepted"));
    assertEquals(0, body.getInt("sequence_number"));
    assertEquals(HashChainTest.ROOT_0, body.getString("merkle_root"));
    assertEquals(
        List.of("accepted", "sequence_number", "merkle_root", "server_receipt"),
        new ArrayList<>(body.keySet()));

    // The receipt names what was acknowledged and verifies with the published key.
    JsonObject receipt = body.getJsonObject("server_receipt");
    assertEquals("replication", receipt.getString("kind"));
    assertEquals(0, receipt.getInt("sequence_number"));
    assertEquals(HashChainTest.ROOT_0, receipt.getString("merkle_root"));
    assertTrue(ServerReceipts.verify(receipt, receiptKey(client.token)));

    JsonObject head = client.head().json();
    assertEquals(0, head.getInt("sequence_number"));
    assertEquals(HashChainTest.ROOT_0, head.getString("merkle_root"));
    assertTrue(
        head.getString("updated_at")
            .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));

    JsonObject chunk = client.replay(-1).json().getJsonArray("chunks").getJsonObject(0);
    assertEquals(ReplicateRequestTest.B64, chunk.getString("ciphertext_b64"));
    assertEquals(HashChainTest.BLOCK_HASH, chunk.getString("block_hash"));
    assertEquals(
        List.of("sequence_number", "block_hash", "ciphertext_b64", "merkle_root", "created_at"),
        new ArrayList<>(chunk.keySet()));
  }

  @Test
  void verificationFailuresAre4xxButNever409() {
    byte[] b = blob(100, 1);
    String hash = ReplicationClient.sha256Hex(b);
    String good = ReplicationClient.chain(ReplicationClient.ZERO_ROOT, hash);
    String wrongHash = "1".repeat(64);
    Http.Reply mismatch =
        post(ReplicationClient.body(List.of(ReplicationClient.chunkJson(0, wrongHash, b)), good));
    assertEquals(422, mismatch.status());
    assertEquals("block_hash_mismatch", mismatch.error());

    Http.Reply badRoot =
        post(
            ReplicationClient.body(
                List.of(ReplicationClient.chunkJson(0, hash, b)), "2".repeat(64)));
    assertEquals(422, badRoot.status());
    assertEquals("merkle_root_mismatch", badRoot.error());

    Http.Reply gap =
        post(ReplicationClient.body(List.of(ReplicationClient.chunkJson(1, hash, b)), good));
    assertEquals(422, gap.status());
    assertEquals("replication_sequence_gap", gap.error());

    assertEquals(
        "bad_block_hash",
        post(ReplicationClient.body(
                List.of(ReplicationClient.chunkJson(0, hash.toUpperCase(), b)), good))
            .error());
    assertEquals(
        "bad_merkle_root",
        post(ReplicationClient.body(
                List.of(ReplicationClient.chunkJson(0, hash, b)), good.toUpperCase()))
            .error());
    assertEquals("invalid_json", post("{\"chunks\":").error());
    assertEquals(
        "missing_or_empty_chunks",
        post("{\"chunks\":[],\"merkle_root\":\"" + good + "\"}").error());
    // Nothing was stored by any of them.
    assertEquals(404, client.head().status());
    assertEquals("{\"error\":\"no_replication_entries\"}", client.head().text());
  }

  Http.Reply post(String body) {
    return http.post(ReplicationClient.ENDPOINT + "/replicate", client.token, body);
  }

  @Test
  void chunkSizeLimitIsExact() {
    assertEquals(200, client.append(List.of(new byte[262_144])).status());
    Http.Reply big = client.append(List.of(new byte[262_145]));
    assertEquals(413, big.status());
    assertEquals("chunk_too_large", big.error());
  }

  @Test
  void duplicatesAreIdempotentAndMixedBatchesStoreTheNewChunks() {
    ReplicationClient.Pending first = client.prepare(List.of(blob(10, 0), blob(10, 1)));
    assertEquals(200, client.send(first).status());
    Http.Reply again = client.send(first);
    assertEquals(200, again.status());
    assertTrue(again.json().getBoolean("idempotent"));
    assertEquals(List.of("idempotent", "server_receipt"), new ArrayList<>(again.json().keySet()));
    assertEquals(1, again.json().getJsonObject("server_receipt").getInt("sequence_number"));

    // Chunks 0..1 again plus new 2..3: the new ones are stored, not dropped.
    ReplicationClient.Pending mixed =
        client.prepare(List.of(blob(10, 0), blob(10, 1), blob(10, 2), blob(10, 3)));
    Http.Reply r = client.send(mixed);
    assertEquals(200, r.status(), r.text());
    assertEquals(4, r.json().getInt("accepted"));
    assertEquals(3, r.json().getInt("sequence_number"));
    assertEquals(3, client.head().json().getInt("sequence_number"));
    assertEquals(mixed.root(), client.head().json().getString("merkle_root"));
    assertEquals(4, client.replay(-1).json().getInt("count"));
  }

  @Test
  void splitBrainAnswersTheExactConflicts() {
    assertEquals(200, client.append(List.of(blob(10, 0), blob(10, 1))).status());
    // A second device with the same token starts at 0 with other blocks.
    ReplicationClient other = new ReplicationClient(http, client.token);
    byte[] b0 = blob(10, 100);
    byte[] b1 = blob(10, 101);
    Http.Reply r = other.append(List.of(b0, b1));
    assertEquals(409, r.status());
    String stored0 = ReplicationClient.sha256Hex(blob(10, 0));
    String stored1 = ReplicationClient.sha256Hex(blob(10, 1));
    assertEquals(
        "{\"error\":\"split_brain_detected\",\"conflicts\":["
            + "{\"sequence_number\":0,\"existing_block_hash\":\""
            + stored0
            + "\",\"attempted_block_hash\":\""
            + ReplicationClient.sha256Hex(b0)
            + "\"},"
            + "{\"sequence_number\":1,\"existing_block_hash\":\""
            + stored1
            + "\",\"attempted_block_hash\":\""
            + ReplicationClient.sha256Hex(b1)
            + "\"}]}",
        r.text());
    assertEquals(2, client.replay(-1).json().getInt("count"));
  }

  @Test
  void replayPagesByRows() {
    List<byte[]> blobs = new ArrayList<>();
    for (int i = 0; i < 1005; i++) {
      blobs.add(("block-" + i).getBytes(StandardCharsets.UTF_8));
    }
    for (int i = 0; i < blobs.size(); i += 500) {
      assertEquals(200, client.append(blobs.subList(i, Math.min(blobs.size(), i + 500))).status());
    }
    JsonObject page = client.replay(-1).json();
    assertEquals(1000, page.getInt("count"));
    JsonArray chunks = page.getJsonArray("chunks");
    assertEquals(0, chunks.getJsonObject(0).getInt("sequence_number"));
    assertEquals(999, chunks.getJsonObject(999).getInt("sequence_number"));
    JsonObject rest = client.replay(999).json();
    assertEquals(5, rest.getInt("count"));
    assertEquals(1000, rest.getJsonArray("chunks").getJsonObject(0).getInt("sequence_number"));
    assertEquals("{\"chunks\":[],\"count\":0}", client.replay(1004).text());
    // With a byte budget, a page cut at 1000 rows says that more follow.
    JsonObject budgeted =
        http.get(ReplicationClient.ENDPOINT + "/replay?since=-1&max_bytes=1000000", client.token)
            .json();
    assertEquals(1000, budgeted.getInt("count"));
    assertTrue(budgeted.getBoolean("has_more"));
    assertEquals(999, budgeted.getInt("next_since"));
    JsonObject end =
        http.get(ReplicationClient.ENDPOINT + "/replay?since=999&max_bytes=1000000", client.token)
            .json();
    assertEquals(5, end.getInt("count"));
    assertFalse(end.getBoolean("has_more"));
    assertEquals(1004, end.getInt("next_since"));
    // since=0 excludes sequence 0, as in the reference.
    assertEquals(
        1,
        client.replay(0).json().getJsonArray("chunks").getJsonObject(0).getInt("sequence_number"));

    // Every row verifies: hashes and the chain, client-side.
    String root = ReplicationClient.ZERO_ROOT;
    long since = -1;
    int seen = 0;
    while (true) {
      JsonArray p = client.replay(since).json().getJsonArray("chunks");
      if (p.isEmpty()) {
        break;
      }
      for (JsonObject c : p.getValuesAs(JsonObject.class)) {
        byte[] bytes = Base64.getDecoder().decode(c.getString("ciphertext_b64"));
        assertEquals(ReplicationClient.sha256Hex(bytes), c.getString("block_hash"));
        root = ReplicationClient.chain(root, c.getString("block_hash"));
        assertEquals(root, c.getString("merkle_root"));
        assertArrayEquals(blobs.get(seen), bytes);
        seen++;
        since = c.getInt("sequence_number");
      }
    }
    assertEquals(1005, seen);
  }

  @Test
  void sinceIsValidated() {
    assertEquals(
        "missing_since_param",
        http.get(ReplicationClient.ENDPOINT + "/replay", client.token).error());
    assertEquals(
        "missing_since_param",
        http.get(ReplicationClient.ENDPOINT + "/replay?since=", client.token).error());
    assertEquals("bad_since_param", client.replay(-2).error());
    assertEquals(
        "bad_since_param",
        http.get(ReplicationClient.ENDPOINT + "/replay?since=abc", client.token).error());
    assertEquals(
        "bad_since_param",
        http.get(ReplicationClient.ENDPOINT + "/replay?since=1.5", client.token).error());
    assertEquals("{\"chunks\":[],\"count\":0}", client.replay(-1).text());
  }

  @Test
  void tenantsHaveSeparateLogs() {
    assertEquals(200, client.append(List.of(blob(10, 1))).status());
    ReplicationClient other = new ReplicationClient(http, Http.newProjectToken());
    assertEquals(404, other.head().status());
    assertEquals(0, other.replay(-1).json().getInt("count"));
    // The other tenant's own log starts at 0, independent of the first.
    assertEquals(200, other.append(List.of(blob(10, 2))).status());
    assertEquals(
        ReplicationClient.sha256Hex(blob(10, 1)),
        client.replay(-1).json().getJsonArray("chunks").getJsonObject(0).getString("block_hash"));
  }

  @Test
  void liveKeysPayForNewBytesOnly() {
    Http.LiveTenant t = http.liveTenant(10, null, null);
    ReplicationClient paid = new ReplicationClient(http, t.key());
    // 1024 + 100 new bytes cost ceil(1124 * 0.045) = 51 milli-cents.
    ReplicationClient.Pending p = paid.prepare(List.of(blob(1024, 1), blob(100, 2)));
    assertEquals(200, paid.send(p).status());
    assertEquals(200, paid.send(p).status());
    JsonArray ledger =
        http.admin("GET", "/admin/tenants/" + t.tenantId() + "/ledger", null).array();
    assertEquals(2, ledger.size());
    assertEquals(-51, ledger.getJsonObject(0).getJsonNumber("delta_milli").longValue());
    assertEquals("replicate", ledger.getJsonObject(0).getString("reason"));
    JsonObject tenant = http.admin("GET", "/admin/tenants/" + t.tenantId(), null).json();
    assertEquals(10, tenant.getInt("credits"));
    assertEquals(51, tenant.getInt("credits_milli"));

    Http.LiveTenant poor = http.liveTenant(0, null, null);
    ReplicationClient broke = new ReplicationClient(http, poor.key());
    Http.Reply r = broke.append(List.of(blob(262_144, 3)));
    assertEquals(402, r.status());
    assertEquals("insufficient_credits", r.error());
    assertEquals(404, broke.head().status());
    assertEquals(
        0, http.admin("GET", "/admin/tenants/" + poor.tenantId() + "/ledger", null).array().size());
  }

  @Test
  void concurrentWritersBuildOneVerifiedChainWithoutDoubleCharges() throws Exception {
    Http.LiveTenant t = http.liveTenant(1000, null, null);
    int writers = 20;
    int blocksEach = 5;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        final int writer = w;
        results.add(
            pool.submit(
                () -> {
                  int stored = 0;
                  int attempt = 0;
                  while (stored < blocksEach) {
                    if (++attempt > 500) {
                      throw new IllegalStateException("writer " + writer + " starved");
                    }
                    ReplicationClient c = new ReplicationClient(http, t.key());
                    Http.Reply head = c.head();
                    if (head.status() == 200) {
                      c.next = head.json().getJsonNumber("sequence_number").longValue() + 1;
                      c.root = head.json().getString("merkle_root");
                    }
                    Http.Reply r =
                        c.append(
                            List.of(
                                ("w" + writer + "-b" + stored).getBytes(StandardCharsets.UTF_8)));
                    if (r.status() == 200) {
                      stored++;
                    } else if (r.status() == 429) {
                      Thread.sleep(300);
                    } else {
                      // Another writer got there first: 409 (same sequence) or 422 (moved head).
                      assertTrue(
                          r.status() == 409 || r.status() == 422, r.status() + " " + r.text());
                    }
                  }
                  return stored;
                }));
      }
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get();
      }
      assertEquals(writers * blocksEach, total);
    } finally {
      pool.shutdownNow();
    }
    ReplicationClient reader = new ReplicationClient(http, t.key());
    // The writers' retries have spent the tenant's rate limit: wait it out as the worker would.
    Http.Reply replay = ReplicationClient.unlimited(() -> reader.replay(-1));
    assertEquals(200, replay.status(), replay.text());
    JsonArray chunks = replay.json().getJsonArray("chunks");
    assertEquals(writers * blocksEach, chunks.size());
    String root = ReplicationClient.ZERO_ROOT;
    long bytes = 0;
    for (int i = 0; i < chunks.size(); i++) {
      JsonObject c = chunks.getJsonObject(i);
      assertEquals(i, c.getInt("sequence_number"));
      root = ReplicationClient.chain(root, c.getString("block_hash"));
      assertEquals(root, c.getString("merkle_root"));
      byte[] data = Base64.getDecoder().decode(c.getString("ciphertext_b64"));
      bytes += (45L * data.length + 999) / 1000;
    }
    // One ledger row per stored block, each the price of its bytes, and nothing else.
    JsonArray ledger =
        http.admin("GET", "/admin/tenants/" + t.tenantId() + "/ledger?limit=1000", null).array();
    assertEquals(writers * blocksEach + 1, ledger.size());
    long charged = 0;
    for (JsonObject e : ledger.getValuesAs(JsonObject.class)) {
      if (e.getString("reason").equals("replicate")) {
        charged -= e.getJsonNumber("delta_milli").longValue();
      }
    }
    assertEquals(bytes, charged);
  }

  @Test
  void encryptedMemoryRoundTripsByteForByte() throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    List<String> memories = new ArrayList<>();
    List<byte[]> blocks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String plaintext =
          "{\"memories\":[{\"id\":\"m"
              + i
              + "\",\"text\":\"remember "
              + "é".repeat(i * 100)
              + "\",\"timestamp\":\"170000000000"
              + i
              + "\"}]}";
      memories.add(plaintext);
      byte[] iv = new byte[12];
      new SecureRandom().nextBytes(iv);
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
      byte[] ctAndTag = gcm.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] blob = new byte[12 + ctAndTag.length];
      System.arraycopy(iv, 0, blob, 0, 12);
      System.arraycopy(ctAndTag, 0, blob, 12, ctAndTag.length);
      blocks.add(blob);
      // One block per request, as the worker sends them.
      assertEquals(200, client.append(List.of(blob)).status());
    }
    JsonArray chunks = client.replay(-1).json().getJsonArray("chunks");
    assertEquals(5, chunks.size());
    for (int i = 0; i < 5; i++) {
      byte[] blob = Base64.getDecoder().decode(chunks.getJsonObject(i).getString("ciphertext_b64"));
      assertArrayEquals(blocks.get(i), blob);
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(128, blob, 0, 12));
      String decrypted =
          new String(gcm.doFinal(blob, 12, blob.length - 12), StandardCharsets.UTF_8);
      assertEquals(memories.get(i), decrypted);
    }
    assertFalse(HexFormat.of().formatHex(blocks.get(0)).isEmpty());
  }

  @Test
  void aFloodingTenantIsRateLimitedWithRetryAfter() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<java.net.http.HttpResponse<byte[]>>> replies = new ArrayList<>();
      for (int i = 0; i < 480; i++) {
        replies.add(
            pool.submit(
                () ->
                    http.sendWithHeaders(
                        "GET", ReplicationClient.ENDPOINT + "/head", "Bearer " + client.token)));
      }
      int limited = 0;
      for (Future<java.net.http.HttpResponse<byte[]>> f : replies) {
        var r = f.get();
        if (r.statusCode() == 429) {
          limited++;
          assertTrue(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow()) >= 1);
          assertEquals(
              "{\"error\":\"rate_limited\"}", new String(r.body(), StandardCharsets.UTF_8));
        } else {
          assertEquals(404, r.statusCode());
        }
      }
      // The test server allows 50 requests a second after a burst of 100.
      assertTrue(limited > 0, "480 requests in a burst were never limited");
    } finally {
      pool.shutdownNow();
    }
    // Another tenant is unaffected.
    assertEquals(404, new ReplicationClient(http, Http.newProjectToken()).head().status());
  }
}
