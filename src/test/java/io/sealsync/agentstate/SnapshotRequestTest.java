package io.sealsync.agentstate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SnapshotRequestTest {
  static final String HASH = "ab".repeat(32);

  /**
   * A valid genesis body with {@code overrides} spliced in (a JSON member list, replacing keys).
   */
  static String body(String overrides) {
    String base =
        "\"agent_id\":\"agent_a1\",\"sequence_number\":0,\"parent_snapshot\":null,"
            + "\"policy_hash\":\""
            + "0".repeat(64)
            + "\",\"client_payload_hash\":\""
            + HASH
            + "\",\"ciphertext_b64\":\"AAECAw==\",\"byte_size\":4,\"timestamp\":\"2026-05-20T08:00:00.000Z\"";
    return "{" + (overrides.isEmpty() ? base : overrides + "," + base) + "}";
  }

  static SnapshotRequest parse(String json) {
    return SnapshotRequest.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  static String code(String json) {
    return assertThrows(AgentStateException.class, () -> parse(json)).code();
  }

  @Test
  void validGenesis() {
    SnapshotRequest r = parse(body(""));
    assertEquals("agent_a1", r.agentId().value());
    assertEquals(0, r.sequenceNumber());
    assertNull(r.parentSnapshot());
    assertArrayEquals(new byte[] {0, 1, 2, 3}, r.ciphertext());
    assertEquals("agent_a1/seq-0-abababababab.bin", r.storageKey());
  }

  @Test
  void integralFloatsCountAsIntegers() {
    assertEquals(
        3,
        parse(
                "{\"sequence_number\":3.0,\"parent_snapshot\":\"p\","
                    + body("")
                        .substring(1)
                        .replace("\"sequence_number\":0,\"parent_snapshot\":null,", ""))
            .sequenceNumber());
  }

  @Test
  void invalidJson() {
    assertEquals("invalid_json", code("{"));
    assertEquals("invalid_json", code("null"));
    assertEquals("invalid_json", code("[1]"));
    assertEquals("invalid_json", code("\"x\""));
    assertEquals("invalid_json", code(""));
    assertEquals("invalid_json", code("{} extra"));
  }

  @Test
  void missingFieldsInTheSpecsOrder() {
    assertEquals("missing_field:agent_id", code("{}"));
    assertEquals(
        "missing_field:byte_size",
        code(
            "{\"agent_id\":1,\"sequence_number\":1,\"policy_hash\":1,"
                + "\"client_payload_hash\":1,\"ciphertext_b64\":1,\"timestamp\":1}"));
    // An explicit null is present: the next check decides.
    assertEquals(
        "bad_agent_id", code(body("\"agent_id\":null").replace(",\"agent_id\":\"agent_a1\"", "")));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"agent_id\":\"\"|bad_agent_id",
        "\"agent_id\":7|bad_agent_id",
        "\"policy_hash\":\"xyz\"|bad_policy_hash",
        "\"client_payload_hash\":null|bad_payload_hash",
        "\"byte_size\":\"4\"|byte_size_mismatch",
        "\"byte_size\":0|ciphertext_too_large",
        "\"byte_size\":-3|ciphertext_too_large",
        "\"byte_size\":262145|ciphertext_too_large",
        "\"byte_size\":5|byte_size_mismatch",
        "\"byte_size\":4.5|byte_size_mismatch",
        "\"sequence_number\":-1|bad_sequence",
        "\"sequence_number\":1.5|bad_sequence",
        "\"sequence_number\":\"0\"|bad_sequence",
        "\"sequence_number\":9007199254740992|bad_sequence",
        "\"parent_snapshot\":\"p\"|genesis_violation",
        "\"ciphertext_b64\":\"A\"|bad_ciphertext_b64",
        "\"ciphertext_b64\":5|bad_ciphertext_b64"
      })
  void eachCheckHasItsCode(String override, String expected) {
    String key = override.substring(0, override.indexOf(':'));
    String json =
        body("")
            .replaceFirst(
                java.util.regex.Pattern.quote(key) + ":(\"[^\"]*\"|null|-?[0-9.]+)",
                override.replace("$", "\\$"));
    assertEquals(expected, code(json), json);
  }

  @Test
  void genesisNeedsAnExplicitNullParent() {
    assertEquals("genesis_violation", code(body("").replace("\"parent_snapshot\":null,", "")));
  }

  @Test
  void laterSequencesNeedANonEmptyParent() {
    String seq1 = body("").replace("\"sequence_number\":0", "\"sequence_number\":1");
    assertEquals("missing_parent_snapshot", code(seq1));
    assertEquals(
        "missing_parent_snapshot",
        code(seq1.replace("\"parent_snapshot\":null", "\"parent_snapshot\":\"\"")));
    assertEquals("missing_parent_snapshot", code(seq1.replace("\"parent_snapshot\":null,", "")));
    assertEquals(
        "missing_parent_snapshot",
        code(seq1.replace("\"parent_snapshot\":null", "\"parent_snapshot\":5")));
    assertEquals(
        "p0",
        parse(seq1.replace("\"parent_snapshot\":null", "\"parent_snapshot\":\"p0\""))
            .parentSnapshot());
  }

  @Test
  void maximumSizeIsAccepted() {
    byte[] max = new byte[SnapshotRequest.MAX_PAYLOAD_BYTES];
    String json =
        body("")
            .replace("\"AAECAw==\"", "\"" + Base64.getEncoder().encodeToString(max) + "\"")
            .replace("\"byte_size\":4", "\"byte_size\":262144");
    assertEquals(262_144, parse(json).byteSize());
  }

  @Test
  void numbersAndNestingTheParserRefusesAreInvalidJson() {
    assertEquals("invalid_json", code("{\"a\":" + "1".repeat(100_000) + "}"));
    assertEquals(
        "invalid_json",
        code(
            body("\"sequence_number\":" + "9".repeat(1_200))
                .replace(",\"sequence_number\":0", "")));
    assertEquals(
        "invalid_json", code("{\"agent_id\":" + "[".repeat(2_000) + "]".repeat(2_000) + "}"));
  }

  @Test
  void hugeExponentsAreNoSequence() {
    // The scale of 1e2147483647 is Integer.MIN_VALUE + 1: no overflow into a valid number.
    assertEquals(
        "bad_sequence",
        code(
            "{\"sequence_number\":1e2147483647,"
                + body("").substring(1).replace("\"sequence_number\":0,", "")));
  }

  @Test
  void nulCannotBeStoredInIdsOrParents() {
    assertEquals(
        "bad_agent_id",
        code(
            "{\"agent_id\":\"a\\u0000b\","
                + body("").substring(1).replace("\"agent_id\":\"agent_a1\",", "")));
    assertEquals(
        "missing_parent_snapshot",
        code(
            "{\"sequence_number\":1,\"parent_snapshot\":\"p\\u0000\","
                + body("")
                    .substring(1)
                    .replace("\"sequence_number\":0,\"parent_snapshot\":null,", "")));
    // The timestamp is never read back; it is kept with U+0000 replaced.
    SnapshotRequest r =
        parse(
            "{\"timestamp\":\"t\\u0000\","
                + body("").substring(1).replace(",\"timestamp\":\"2026-05-20T08:00:00.000Z\"", ""));
    assertEquals("t\uFFFD", r.timestamp());
  }
}
