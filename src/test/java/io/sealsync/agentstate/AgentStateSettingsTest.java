package io.sealsync.agentstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentStateSettingsTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    AgentStateSettings s = AgentStateSettings.read(key -> Optional.empty());
    assertEquals(4 * 1024 * 1024, s.maxRequestBytes());
    assertEquals(Duration.ofMinutes(15), s.ciphertextUrlTtl());
    assertEquals(100, s.ratePerSecond());
    assertEquals(200, s.rateBurst());
    assertEquals(100_000, s.rateLimitTenants());
  }

  @Test
  void operatorsSpellingsAreRead() {
    AgentStateSettings s =
        AgentStateSettings.read(
            lookup(
                Map.of(
                    AgentStateSettings.MAX_REQUEST_BYTES, "524288",
                    AgentStateSettings.CIPHERTEXT_URL_TTL, "2m",
                    AgentStateSettings.RATE_PER_SECOND, "0",
                    AgentStateSettings.RATE_BURST, "1.5",
                    AgentStateSettings.RATE_LIMIT_TENANTS, "10")));
    assertEquals(524288, s.maxRequestBytes());
    assertEquals(Duration.ofSeconds(120), s.ciphertextUrlTtl());
    assertEquals(0, s.ratePerSecond());
    assertEquals(1.5, s.rateBurst());
    assertEquals(10, s.rateLimitTenants());
  }

  @ParameterizedTest
  @CsvSource({
    "sealsync.agent-state.max-request-bytes, 524287",
    "sealsync.agent-state.max-request-bytes, 4 MiB",
    "sealsync.agent-state.max-request-bytes, 1073741825",
    "sealsync.agent-state.ciphertext-url-ttl-seconds, -900",
    "sealsync.agent-state.ciphertext-url-ttl-seconds, 0",
    "sealsync.agent-state.ciphertext-url-ttl-seconds, 8d",
    "sealsync.agent-state.ciphertext-url-ttl-seconds, 605000",
    "sealsync.agent-state.rate-limit.per-second, -1",
    "sealsync.agent-state.rate-limit.per-second, NaN",
    "sealsync.agent-state.rate-limit.burst, 0.5",
    "sealsync.agent-state.rate-limit.burst, Infinity",
    "sealsync.agent-state.rate-limit.tenants, 0",
    "sealsync.agent-state.rate-limit.tenants, many"
  })
  void aValueOutOfRangeStopsTheStartNamingTheSetting(String key, String value) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AgentStateSettings.read(lookup(Map.of(key, value))));
    assertTrue(e.getMessage().startsWith(key + " must be "), e.getMessage());
    assertTrue(e.getMessage().contains(value), e.getMessage());
  }

  private static Function<String, Optional<String>> lookup(Map<String, String> values) {
    return key -> Optional.ofNullable(values.get(key));
  }
}
