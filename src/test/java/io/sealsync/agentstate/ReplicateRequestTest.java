package io.sealsync.agentstate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sealsync.platform.Hex;
import io.sealsync.platform.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ReplicateRequestTest {
  static final String B64 =
      "AAECAwQFBgcICQoLChJs8qWyE2JqWJB7P+PV5E21h7cTrlhQ7zwYxSj3CBnuzd6MKKfVA0M6YkjBQ9QjEz7ajKP9ZYbzEuv08m97oIgB5lst0ga2yi8sDy1+ND837vCwiA==";
  static final String VECTOR_REQUEST =
      "{\"chunks\":[{\"sequence_number\":0,\"block_hash\":\""
          + HashChainTest.BLOCK_HASH
          + "\",\"ciphertext_b64\":\""
          + B64
          + "\"}],\"merkle_root\":\""
          + HashChainTest.ROOT_0
          + "\"}";

  static ReplicateRequest parse(String json) {
    return ReplicateRequest.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  static String code(String json) {
    return assertThrows(AgentStateException.class, () -> parse(json)).code();
  }

  static String chunk(Object seq, String hash, String b64) {
    return "{\"sequence_number\":"
        + seq
        + ",\"block_hash\":"
        + hash
        + ",\"ciphertext_b64\":"
        + b64
        + "}";
  }

  static String body(String chunks, String root) {
    return "{\"chunks\":" + chunks + ",\"merkle_root\":" + root + "}";
  }

  static final String ROOT = "\"" + "0".repeat(64) + "\"";
  static final String HASH = "\"" + HashChainTest.BLOCK_HASH + "\"";
  static final String DATA = "\"" + B64 + "\"";

  @Test
  void theVectorRequestParses() {
    ReplicateRequest r = parse(VECTOR_REQUEST);
    assertEquals(1, r.chunks().size());
    assertEquals(0, r.maxSequenceNumber());
    assertArrayEquals(Hex.decode(HashChainTest.BLOB), r.chunks().get(0).ciphertext());
    assertEquals(HashChainTest.ROOT_0, r.merkleRoot().hex());
  }

  @Test
  void checksInTheSpecsOrder() {
    assertEquals("invalid_json", code("nope"));
    assertEquals("invalid_json", code("null"));
    assertEquals("missing_or_empty_chunks", code("{}"));
    assertEquals("missing_or_empty_chunks", code(body("[]", ROOT)));
    assertEquals("missing_or_empty_chunks", code(body("{}", ROOT)));
    assertEquals("missing_merkle_root", code(body("[1]", "\"\"")));
    assertEquals("missing_merkle_root", code("{\"chunks\":[1]}"));
    assertEquals("bad_merkle_root", code(body("[1]", "\"" + "A".repeat(64) + "\"")));
    assertEquals("bad_sequence_number", code(body("[null]", ROOT)));
    assertEquals("bad_sequence_number", code(body("[" + chunk("-1", HASH, DATA) + "]", ROOT)));
    assertEquals("bad_sequence_number", code(body("[" + chunk("1.5", HASH, DATA) + "]", ROOT)));
    assertEquals("bad_sequence_number", code(body("[" + chunk("\"1\"", HASH, DATA) + "]", ROOT)));
    assertEquals("missing_block_hash", code(body("[" + chunk("0", "\"\"", DATA) + "]", ROOT)));
    assertEquals("missing_ciphertext_b64", code(body("[" + chunk("0", HASH, "null") + "]", ROOT)));
    assertEquals("bad_ciphertext_b64", code(body("[" + chunk("0", HASH, "\"A\"") + "]", ROOT)));
    assertEquals("bad_block_hash", code(body("[" + chunk("0", "\"xyz\"", DATA) + "]", ROOT)));
    assertEquals(
        "bad_block_hash", code(body("[" + chunk("0", HASH.toUpperCase(), DATA) + "]", ROOT)));
    assertEquals(
        "block_hash_mismatch",
        code(body("[" + chunk("0", "\"" + "1".repeat(64) + "\"", DATA) + "]", ROOT)));
    assertEquals(
        "bad_sequence_number",
        code(body("[" + chunk("3", HASH, DATA) + "," + chunk("3.0", HASH, DATA) + "]", ROOT)));
  }

  @Test
  void integralFloatsCountAsIntegers() {
    assertEquals(2, parse(body("[" + chunk("2.0", HASH, DATA) + "]", ROOT)).maxSequenceNumber());
  }

  @Test
  void chunkSizeIsCheckedBeforeTheHash() {
    byte[] max = new byte[ReplicateRequest.MAX_CHUNK_BYTES];
    String ok = "\"" + Base64.getEncoder().encodeToString(max) + "\"";
    assertEquals(
        1,
        parse(body("[" + chunk("0", "\"" + Sha256.hex(max) + "\"", ok) + "]", ROOT))
            .chunks()
            .size());
    String big = "\"" + Base64.getEncoder().encodeToString(new byte[max.length + 1]) + "\"";
    AgentStateException e =
        assertThrows(
            AgentStateException.class,
            () -> parse(body("[" + chunk("0", "\"x\"", big) + "]", ROOT)));
    assertEquals("chunk_too_large", e.code());
    assertEquals(413, e.status());
  }

  @Test
  void whatTheParserRefusesIsInvalidJson() {
    assertEquals(
        "invalid_json", code(body("[" + chunk("1" + "0".repeat(2_000), HASH, DATA) + "]", ROOT)));
    assertEquals(
        "invalid_json",
        code(body("[" + chunk("0", "[".repeat(1_001) + "]".repeat(1_001), DATA) + "]", ROOT)));
  }

  @Test
  void hugeExponentsAreNoSequenceNumber() {
    assertEquals(
        "bad_sequence_number", code(body("[" + chunk("1e2147483647", HASH, DATA) + "]", ROOT)));
    assertEquals(
        "bad_sequence_number", code(body("[" + chunk("1e999999999", HASH, DATA) + "]", ROOT)));
  }
}
