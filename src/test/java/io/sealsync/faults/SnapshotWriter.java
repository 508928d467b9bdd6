package io.sealsync.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sealsync.agentstate.ReplicationClient;
import io.sealsync.agentstate.SnapshotBodies;
import io.sealsync.testsupport.Http;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An SDK client snapshotting one agent: sequence numbers from 0, each snapshot naming its parent, a
 * request without an answer sent again unchanged (idempotent when it was stored).
 */
final class SnapshotWriter extends FaultClient {
  static final String SNAPSHOT = ReplicationClient.ENDPOINT + "/v2/snapshot";

  final String token;
  final String agent;
  private final Random random;

  record Acked(String payloadHash, byte[] ciphertext) {}

  final Map<Long, Acked> acked = new ConcurrentHashMap<>();

  SnapshotWriter(String name, List<Http> nodes, Tally tally, String token) {
    super(name, nodes, tally);
    this.token = token;
    this.agent = "agent-" + name;
    this.random = new Random(name.hashCode());
  }

  @Override
  void work() throws Exception {
    String parent = null;
    for (long seq = 0; !stopping(); seq++) {
      byte[] blob = new byte[100 + random.nextInt(4000)];
      random.nextBytes(blob);
      String payloadHash = ReplicationClient.sha256Hex(blob, Long.toString(seq).getBytes());
      String body = SnapshotBodies.of(agent, seq, parent, payloadHash, blob);
      HttpResponse<byte[]> r = null;
      while (r == null) {
        if (stopping()) {
          return;
        }
        r =
            call(
                "snapshot",
                "POST",
                SNAPSHOT,
                "Bearer " + token,
                Map.of(),
                body.getBytes(StandardCharsets.UTF_8));
      }
      if (r.statusCode() != 200) {
        throw unexpected("snapshot " + seq, r);
      }
      acked.put(seq, new Acked(payloadHash, blob));
      acknowledged.incrementAndGet();
      parent = new Http.Reply(200, null, r.body()).json().getString("arweave_tx_id");
    }
  }

  /**
   * Every acknowledged snapshot restores with its hash, and its ciphertext URL serves its bytes.
   */
  long verify(Http http) throws Exception {
    HttpClient plain = HttpClient.newHttpClient();
    for (Map.Entry<Long, Acked> e : acked.entrySet()) {
      Http.Reply restored = http.get(SNAPSHOT + "/" + agent + "/" + e.getKey(), token);
      assertEquals(
          200, restored.status(), name + " restore " + e.getKey() + ": " + restored.text());
      JsonObject receipt = restored.json().getJsonObject("receipt");
      assertEquals(e.getValue().payloadHash(), receipt.getString("client_payload_hash"));
      assertEquals("confirmed", receipt.getString("status"));
      HttpResponse<byte[]> blob =
          plain.send(
              HttpRequest.newBuilder(URI.create(restored.json().getString("ciphertextUrl")))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, blob.statusCode(), name + " ciphertext " + e.getKey());
      assertArrayEquals(e.getValue().ciphertext(), blob.body(), name + " ciphertext bytes");
    }
    return acked.size();
  }
}
