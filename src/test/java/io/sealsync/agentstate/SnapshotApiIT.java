package io.sealsync.agentstate;

import static io.sealsync.agentstate.ReplicationClient.blob;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.Http;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The snapshot routes over HTTP against the real server and database, with project tokens. */
@ExtendWith(ArquillianExtension.class)
class SnapshotApiIT {
  static final String ENDPOINT = "/functions/v1/v2-agent-state";
  static final String SNAPSHOT = ENDPOINT + "/v2/snapshot";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;
  Http http;
  String token;

  @BeforeEach
  void setUp() {
    http = new Http(base);
    token = Http.newProjectToken();
  }

  static String sha256(String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  static String snapshot(String agent, long seq, String parent, String payloadHash, byte[] blob) {
    return SnapshotBodies.of(agent, seq, parent, payloadHash, blob);
  }

  Http.Reply create(String agent, long seq, String parent, String hash, byte[] blob) {
    return http.post(SNAPSHOT, token, snapshot(agent, seq, parent, hash, blob));
  }

  static String withoutServerReceipt(JsonObject receipt) {
    return Json.createObjectBuilder(receipt).remove("server_receipt").build().toString();
  }

  byte[] receiptKey() {
    return Base64.getDecoder()
        .decode(http.get(ENDPOINT + "/receipt-key", token).json().getString("public_key"));
  }

  static String hash(long n) {
    return String.format("%064x", n + 0xabcdef);
  }

  @Test
  void lineageIsCreatedRestoredAndListed() throws Exception {
    String agent = "agent_a1b2c3";
    List<String> receipts = new ArrayList<>();
    String parent = null;
    for (int seq = 0; seq < 3; seq++) {
      Http.Reply r = create(agent, seq, parent, hash(seq), blob(100 + seq, seq));
      assertEquals(200, r.status(), r.text());
      assertEquals("application/json", r.contentType());
      JsonObject receipt = r.json();
      assertEquals(
          List.of(
              "snapshot_id",
              "agent_id",
              "sequence_number",
              "arweave_tx_id",
              "byte_size",
              "cost_milli",
              "client_payload_hash",
              "status",
              "confirmed_at",
              "server_receipt"),
          new ArrayList<>(receipt.keySet()));
      JsonObject signed = receipt.getJsonObject("server_receipt");
      assertEquals("snapshot", signed.getString("kind"));
      assertEquals(receipt.getString("snapshot_id"), signed.getString("snapshot_id"));
      assertTrue(ServerReceipts.verify(signed, receiptKey()));
      assertEquals(agent, receipt.getString("agent_id"));
      assertEquals(seq, receipt.getJsonNumber("sequence_number").longValue());
      assertEquals(
          agent + "/seq-" + seq + "-" + hash(seq).substring(0, 12) + ".bin",
          receipt.getString("arweave_tx_id"));
      assertEquals(100 + seq, receipt.getInt("byte_size"));
      assertEquals(0, receipt.getInt("cost_milli"));
      assertEquals("confirmed", receipt.getString("status"));
      assertTrue(
          receipt
              .getString("confirmed_at")
              .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
      receipts.add(withoutServerReceipt(receipt));
      parent = receipt.getString("arweave_tx_id");
    }

    Http.Reply latest = http.get(SNAPSHOT + "/" + agent + "/latest", token);
    assertEquals(200, latest.status());
    assertEquals(receipts.get(2), latest.json().getJsonObject("receipt").toString());
    assertEquals(List.of("receipt", "ciphertextUrl"), new ArrayList<>(latest.json().keySet()));

    Http.Reply atOne = http.get(SNAPSHOT + "/" + agent + "/1", token);
    assertEquals(200, atOne.status());
    assertEquals(receipts.get(1), atOne.json().getJsonObject("receipt").toString());

    // The ciphertext URL is fetchable without any header and returns exactly the stored bytes.
    HttpResponse<byte[]> blob =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(atOne.json().getString("ciphertextUrl"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, blob.statusCode());
    assertEquals(
        "application/octet-stream", blob.headers().firstValue("Content-Type").orElseThrow());
    assertArrayEquals(blob(101, 1), blob.body());

    // A tampered signature or another snapshot's id gets nothing.
    String url = atOne.json().getString("ciphertextUrl");
    String forged = url.substring(0, url.length() - 1) + (url.endsWith("0") ? "1" : "0");
    assertEquals(
        403,
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(forged)).build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode());

    Http.Reply lineage = http.get(SNAPSHOT + "/" + agent + "/lineage", token);
    assertEquals(200, lineage.status());
    JsonArray entries = lineage.array();
    assertEquals(3, entries.size());
    assertEquals(2, entries.getJsonObject(0).getInt("sequence_number"));
    assertEquals(
        List.of(
            "sequence_number",
            "arweave_tx_id",
            "parent_tx_id",
            "client_payload_hash",
            "confirmed_at"),
        new ArrayList<>(entries.getJsonObject(0).keySet()));
    assertTrue(entries.getJsonObject(2).isNull("parent_tx_id"));
    assertEquals(
        entries.getJsonObject(1).getString("arweave_tx_id"),
        entries.getJsonObject(0).getString("parent_tx_id"));

    JsonArray limited = http.get(SNAPSHOT + "/" + agent + "/lineage?limit=2", token).array();
    assertEquals(2, limited.size());
    assertEquals(1, http.get(SNAPSHOT + "/" + agent + "/lineage?limit=0", token).array().size());
    assertEquals(1, http.get(SNAPSHOT + "/" + agent + "/lineage?limit=abc", token).array().size());
    assertEquals("[]", http.get(SNAPSHOT + "/other/lineage", token).text());
  }

  @Test
  void retriesAreIdempotentAndConflictsAreRefused() {
    String agent = "retry";
    byte[] b0 = blob(64, 7);
    Http.Reply first = create(agent, 0, null, hash(0), b0);
    assertEquals(200, first.status());
    create(agent, 1, "p", hash(1), blob(64, 8));

    // Any confirmed (agent, seq, hash) answers its stored receipt, not only the latest.
    Http.Reply again = create(agent, 0, null, hash(0), b0);
    assertEquals(200, again.status());
    assertEquals(withoutServerReceipt(first.json()), withoutServerReceipt(again.json()));

    assertEquals("sequence_conflict", create(agent, 0, null, hash(99), b0).error());
    assertEquals(409, create(agent, 1, "p", hash(98), b0).status());
    Http.Reply gap = create(agent, 5, "p", hash(5), b0);
    assertEquals(409, gap.status());
    assertEquals("sequence_gap", gap.error());
    assertEquals(
        1,
        http.get(SNAPSHOT + "/" + agent + "/latest", token)
            .json()
            .getJsonObject("receipt")
            .getInt("sequence_number"));
  }

  @Test
  void genesisRules() {
    assertEquals("sequence_gap", create("g", 1, "p", hash(1), blob(10, 1)).error());
    String noParentKey =
        snapshot("g", 0, null, hash(0), blob(10, 1)).replace("\"parent_snapshot\":null,", "");
    assertEquals("genesis_violation", http.post(SNAPSHOT, token, noParentKey).error());
    assertEquals("genesis_violation", create("g", 0, "p", hash(0), blob(10, 1)).error());
    assertEquals(200, create("g", 0, null, hash(0), blob(10, 1)).status());
    Http.Reply r = http.post(SNAPSHOT, token, snapshot("g", 1, null, hash(1), blob(10, 1)));
    assertEquals(400, r.status());
    assertEquals("missing_parent_snapshot", r.error());
  }

  @Test
  void readsOfMissingThingsAre404() {
    Http.Reply none = http.get(SNAPSHOT + "/nobody/latest", token);
    assertEquals(404, none.status());
    assertEquals("{\"error\":\"no_snapshots_for_agent\"}", none.text());
    assertEquals("snapshot_not_found", http.get(SNAPSHOT + "/nobody/0", token).error());
    create("someone", 0, null, hash(0), blob(5, 5));
    assertEquals("snapshot_not_found", http.get(SNAPSHOT + "/someone/1", token).error());
    assertEquals("bad_path_sequence", http.get(SNAPSHOT + "/someone/abc", token).error());
    assertEquals("bad_sequence", http.get(SNAPSHOT + "/someone/-1", token).error());
    assertEquals("bad_sequence", http.get(SNAPSHOT + "/someone/1.5", token).error());
  }

  @Test
  void validationErrorsAre4xxWithTheSpecsCodes() {
    assertEquals("invalid_json", http.post(SNAPSHOT, token, "{not json").error());
    assertEquals("invalid_json", http.post(SNAPSHOT, token, "null").error());
    assertEquals("invalid_json", http.post(SNAPSHOT, token, "[]").error());
    assertEquals("missing_field:agent_id", http.post(SNAPSHOT, token, "{}").error());
    Http.Reply tooBig = create("big", 0, null, hash(0), new byte[262_145]);
    assertEquals(413, tooBig.status());
    assertEquals("ciphertext_too_large", tooBig.error());
    assertEquals(200, create("big", 0, null, hash(0), new byte[262_144]).status());
    String mismatch =
        snapshot("m", 0, null, hash(0), blob(10, 1))
            .replace("\"byte_size\":10", "\"byte_size\":11");
    assertEquals("byte_size_mismatch", http.post(SNAPSHOT, token, mismatch).error());
    String badB64 =
        snapshot("m", 0, null, hash(0), blob(10, 1))
            .replaceFirst("\"ciphertext_b64\":\"[^\"]*\"", "\"ciphertext_b64\":\"@@@\"");
    assertEquals("bad_ciphertext_b64", http.post(SNAPSHOT, token, badB64).error());
    assertEquals(
        "bad_policy_hash",
        http.post(
                SNAPSHOT,
                token,
                snapshot("m", 0, null, hash(0), blob(3, 1)).replace("0".repeat(64), "0".repeat(63)))
            .error());
    assertEquals("bad_payload_hash", create("m", 0, null, "zz", blob(3, 1)).error());
    assertEquals("bad_agent_id", create("x".repeat(129), 0, null, hash(0), blob(3, 1)).error());
    assertEquals(404, http.get(SNAPSHOT + "/m/latest", token).status());

    // The request cap refuses oversized bodies before they are read.
    byte[] huge = new byte[5 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) ' ');
    Http.Reply capped = http.send("POST", SNAPSHOT, "Bearer " + token, huge);
    assertEquals(413, capped.status());
    assertEquals("request_too_large", capped.error());
  }

  @Test
  void authenticationComesBeforeRouting() {
    assertEquals(401, http.get(ENDPOINT + "/nowhere", null).status());
    assertEquals(
        "missing_or_invalid_bearer_token",
        http.get(ENDPOINT + "/nowhere", "sov_proj_mock_key").error());
    assertEquals(401, http.send("OPTIONS", SNAPSHOT, null, null).status());
    Http.Reply notFound = http.get(ENDPOINT + "/nowhere", token);
    assertEquals(404, notFound.status());
    assertEquals("{\"error\":\"route_not_found\"}", notFound.text());
    // Wrong methods are 404, never 405, HEAD and OPTIONS included.
    for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
      Http.Reply r =
          http.send(method, SNAPSHOT, "Bearer " + token, method.equals("GET") ? null : new byte[0]);
      assertEquals(404, r.status(), method);
      assertEquals("route_not_found", r.error(), method);
    }
    assertEquals(404, http.send("OPTIONS", SNAPSHOT, "Bearer " + token, null).status());
    assertEquals(404, http.send("HEAD", ENDPOINT + "/head", "Bearer " + token, null).status());
    assertEquals(
        404, http.send("POST", SNAPSHOT + "/a/latest", "Bearer " + token, new byte[0]).status());
  }

  @Test
  void everyPrefixFormReachesTheSameLineage() {
    assertEquals(
        200,
        http.post("/v2-agent-state/v2/snapshot", token, snapshot("p", 0, null, hash(0), blob(4, 4)))
            .status());
    for (String prefix :
        List.of(
            "/v2-agent-state/v2",
            "/v2",
            "/functions/v1/v2-agent-state/v2",
            "/v2/v2-agent-state",
            "/v2-agent-state")) {
      Http.Reply r = http.get(prefix + "/snapshot/p/latest", token);
      assertEquals(200, r.status(), prefix);
    }
  }

  @Test
  void encodedSlashesStayInsideTheAgentId() {
    String agent = "team%2Fagent";
    assertEquals(200, create("team/agent", 0, null, hash(0), blob(4, 4)).status());
    Http.Reply r = http.get(SNAPSHOT + "/" + agent + "/latest", token);
    assertEquals(200, r.status(), r.text());
    assertEquals("team/agent", r.json().getJsonObject("receipt").getString("agent_id"));
    // Malformed UTF-8 in the agent id is the protocol's 400, after authentication as always.
    Http.Reply malformed = http.get(SNAPSHOT + "/%C3%28/latest", token);
    assertEquals(400, malformed.status());
    assertEquals("application/json", malformed.contentType());
    assertEquals("{\"error\":\"bad_agent_id\"}", malformed.text());
    assertEquals(
        "missing_or_invalid_bearer_token", http.get(SNAPSHOT + "/%C3%28/latest", null).error());
    assertEquals("route_not_found", http.get(ENDPOINT + "/%FF", token).error());
  }

  @Test
  void tenantsNeverSeeEachOther() {
    String other = Http.newProjectToken();
    assertEquals(200, create("shared", 0, null, hash(0), blob(8, 1)).status());
    // The same agent id and sequence under another tenant is an independent lineage.
    Http.Reply theirs =
        http.post(SNAPSHOT, other, snapshot("shared", 0, null, hash(42), blob(9, 2)));
    assertEquals(200, theirs.status());
    assertEquals(
        hash(0),
        http.get(SNAPSHOT + "/shared/latest", token)
            .json()
            .getJsonObject("receipt")
            .getString("client_payload_hash"));
    assertEquals(
        hash(42),
        http.get(SNAPSHOT + "/shared/latest", other)
            .json()
            .getJsonObject("receipt")
            .getString("client_payload_hash"));
    String stranger = Http.newProjectToken();
    assertEquals("no_snapshots_for_agent", http.get(SNAPSHOT + "/shared/latest", stranger).error());
    assertEquals("[]", http.get(SNAPSHOT + "/shared/lineage", stranger).text());
  }

  @Test
  void concurrentPostsOfOneSequenceStoreOneRow() throws Exception {
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<Http.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        final int n = i;
        // Half send the same payload, half a different one.
        Callable<Http.Reply> call = () -> create("race", 0, null, hash(n % 2), blob(32, n % 2));
        replies.add(pool.submit(call));
      }
      int ok = 0;
      int conflicts = 0;
      String winnerHash = null;
      for (Future<Http.Reply> f : replies) {
        Http.Reply r = f.get();
        if (r.status() == 200) {
          ok++;
          String h = r.json().getString("client_payload_hash");
          assertTrue(
              winnerHash == null || winnerHash.equals(h), "two different rows were acknowledged");
          winnerHash = h;
        } else {
          assertEquals(409, r.status(), r.text());
          assertEquals("sequence_conflict", r.error());
          conflicts++;
        }
      }
      assertEquals(writers, ok + conflicts);
      assertEquals(writers / 2, ok);
      JsonArray lineage = http.get(SNAPSHOT + "/race/lineage", token).array();
      assertEquals(1, lineage.size());
      assertEquals(winnerHash, lineage.getJsonObject(0).getString("client_payload_hash"));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void payloadHashFromTheVectorsIsStoredAsSent() throws Exception {
    String draft =
        "{\"active_context\":{\"project\":\"acme\"},\"agent_id\":\"agent_a1b2c3\",\"parent_snapshot\":null,"
            + "\"policy_hash\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"sequence_number\":0,"
            + "\"timestamp\":\"2026-05-20T08:00:00.000Z\",\"wallet_balances\":{}}";
    String h = sha256(draft);
    assertEquals("b58c9c641986ac24941cc4f895a8e3b883d0e955d19a2f52306454191c9881ce", h);
    Http.Reply r = create("agent_a1b2c3", 0, null, h.toUpperCase(), blob(40, 3));
    assertEquals(200, r.status());
    assertEquals(h.toUpperCase(), r.json().getString("client_payload_hash"));
    assertFalse(r.text().contains("ciphertext_b64"));
  }
}
