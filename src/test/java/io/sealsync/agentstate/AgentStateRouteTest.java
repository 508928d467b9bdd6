package io.sealsync.agentstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.agentstate.AgentStateRoute.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AgentStateRouteTest {

  @ParameterizedTest
  @CsvSource({
    "POST, functions/v1/v2-agent-state/replicate, REPLICATE",
    "POST, v2-agent-state/v2/snapshot, CREATE_SNAPSHOT",
    "GET, v2/v2-agent-state/v2/head, HEAD",
    "GET, v1/functions/v2/replay, REPLAY",
    "GET, functions/v1/v2-agent-state//head/, HEAD",
    "GET, v2-agent-state/v2/snapshot/a1/latest, LATEST_SNAPSHOT",
    "GET, v2-agent-state/v2/snapshot/a1/lineage, LINEAGE",
    "GET, v2-agent-state/v2/snapshot/a1/7, SNAPSHOT_AT_SEQUENCE",
    "GET, v2/snapshot/latest/latest, LATEST_SNAPSHOT"
  })
  void leadingPrefixesAreStrippedInAnyOrder(String method, String path, Endpoint endpoint) {
    assertEquals(endpoint, AgentStateRoute.resolve(method, path).endpoint());
  }

  @ParameterizedTest
  @CsvSource({
    "GET, functions/v1/v2-agent-state/replicate",
    "POST, v2-agent-state/head",
    "PUT, v2-agent-state/v2/snapshot",
    "HEAD, v2-agent-state/head",
    "OPTIONS, v2-agent-state/replicate",
    "DELETE, v2-agent-state/v2/snapshot/a/1",
    "GET, v2-agent-state",
    "GET, v2-agent-state/v2/snapshot",
    "GET, v2-agent-state/v2/snapshot/a",
    "GET, v2-agent-state/v2/snapshot/a/b/latest",
    "GET, v2-agent-state/api/head",
    "GET, v2-agent-state/head/extra"
  })
  void anythingElseIsRouteNotFound(String method, String path) {
    AgentStateException e =
        assertThrows(AgentStateException.class, () -> AgentStateRoute.resolve(method, path));
    assertEquals("route_not_found", e.code());
    assertEquals(404, e.status());
  }

  @Test
  void agentIdIsPercentDecodedAfterSplitting() {
    AgentStateRoute r = AgentStateRoute.resolve("GET", "v2/snapshot/team%2Fagent%20%C3%A9/latest");
    assertEquals("team/agent é", r.agentId().value());
    assertEquals("a+b", AgentStateRoute.resolve("GET", "v2/snapshot/a+b/latest").agentId().value());
  }

  @ParameterizedTest
  // %00 decodes, but to U+0000, which no PostgreSQL text can hold.
  @ValueSource(strings = {"%", "%2", "%zz", "a%C3", "%C3%41", "%ED%A0%80", "%FF", "%00", "a%00b"})
  void malformedPercentEncodingIsBadAgentId(String raw) {
    AgentStateRoute r = AgentStateRoute.resolve("GET", "v2/snapshot/" + raw + "/latest");
    AgentStateException e = assertThrows(AgentStateException.class, r::agentId);
    assertEquals("bad_agent_id", e.code());
  }

  @Test
  void agentIdLengthIsBounded() {
    assertEquals(
        128,
        AgentStateRoute.resolve("GET", "v2/snapshot/" + "x".repeat(128) + "/latest")
            .agentId()
            .value()
            .length());
    AgentStateRoute tooLong =
        AgentStateRoute.resolve("GET", "v2/snapshot/" + "x".repeat(129) + "/latest");
    assertEquals("bad_agent_id", assertThrows(AgentStateException.class, tooLong::agentId).code());
  }

  @ParameterizedTest
  @CsvSource({"7,7", "0,0", "0x10,16", "1e2,100", "007,7"})
  void pathSequences(String raw, long expected) {
    assertEquals(expected, SnapshotSequence.parse(raw).value());
  }

  @ParameterizedTest
  @CsvSource({
    "abc,bad_path_sequence",
    "Infinity,bad_path_sequence",
    "-1,bad_sequence",
    "1.5,bad_sequence"
  })
  void badPathSequences(String raw, String code) {
    assertEquals(
        code,
        assertThrows(AgentStateException.class, () -> SnapshotSequence.parse(raw).value()).code());
  }

  @ParameterizedTest
  @CsvSource(
      value = {
        "NULL,100",
        "'',1",
        "abc,1",
        "0,1",
        "-5,1",
        "2.9,2",
        "50,50",
        "600,500",
        "1e2,100",
        "1e10,500"
      },
      nullValues = "NULL")
  void lineageLimit(String raw, int expected) {
    assertEquals(expected, LineageLimit.parse(raw).value());
  }

  @ParameterizedTest
  @CsvSource({"1,1", "262144,262144", "007,7", "99999999999999999999999,9223372036854775807"})
  void maxBytesIsAPositiveDecimalInteger(String raw, long expected) {
    assertEquals(expected, ReplayQuery.maxBytes(raw).getAsLong());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0", "000", "-1", "1.5", "1e6", " 5", "abc", "0x10"})
  void badMaxBytesIsRejected(String raw) {
    assertEquals(
        "bad_max_bytes_param",
        assertThrows(AgentStateException.class, () -> ReplayQuery.maxBytes(raw)).code());
  }

  @Test
  void noMaxBytesIsNoBudget() {
    assertTrue(ReplayQuery.maxBytes(null).isEmpty());
  }
}
