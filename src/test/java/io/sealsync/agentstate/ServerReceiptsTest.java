package io.sealsync.agentstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerReceiptsTest {
  static ServerReceipts receipts() {
    ServerReceipts r = new ServerReceipts();
    byte[] seed = new byte[32];
    for (int i = 0; i < 32; i++) {
      seed[i] = (byte) i;
    }
    r.configuredSeed = Optional.of(Base64.getEncoder().encodeToString(seed));
    return r;
  }

  @Test
  void replicationReceiptsVerifyWithThePublishedKey() {
    ServerReceipts r = receipts();
    JsonObject receipt =
        r.replication(
            "project:abc",
            41,
            HashChainTest.ROOT_0,
            OffsetDateTime.parse("2026-05-20T08:00:00.123Z"));
    assertEquals("replication", receipt.getString("kind"));
    assertEquals(41, receipt.getInt("sequence_number"));
    assertEquals("2026-05-20T08:00:00.123Z", receipt.getString("issued_at"));
    assertEquals(r.keyId(), receipt.getString("key_id"));
    assertTrue(ServerReceipts.verify(receipt, r.publicKey()));
  }

  @Test
  void anyChangeBreaksTheSignature() {
    ServerReceipts r = receipts();
    JsonObject receipt =
        r.replication("project:abc", 41, HashChainTest.ROOT_0, OffsetDateTime.now());
    JsonObject forged = Json.createObjectBuilder(receipt).add("sequence_number", 42).build();
    assertFalse(ServerReceipts.verify(forged, r.publicKey()));
  }

  @Test
  void snapshotReceiptsCoverTheLineageEntry() {
    ServerReceipts r = receipts();
    SnapshotReceipt s =
        new SnapshotReceipt(
            "id-1", "agent\n\"x\"", 3, "k", 10, 0, "ab".repeat(32), "confirmed", null);
    JsonObject receipt = r.snapshot("account:7", s, OffsetDateTime.now());
    assertEquals("agent\n\"x\"", receipt.getString("agent_id"));
    assertTrue(ServerReceipts.verify(receipt, r.publicKey()));
  }

  @Test
  void theSignedBytesAreCanonicalJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("z", "\u2028é\u0001\"\\");
    m.put("a", 5L);
    m.put("B", "x");
    assertEquals(
        "{\"B\":\"x\",\"a\":5,\"z\":\"\u2028é\\u0001\\\"\\\\\"}", ServerReceipts.canonical(m));
  }
}
