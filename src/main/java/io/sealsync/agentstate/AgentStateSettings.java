package io.sealsync.agentstate;

import io.sealsync.platform.config.ConfigDurations;
import io.sealsync.platform.config.ConfigNumbers;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The agent-state settings (docs/configuration.md), read once at start and range-checked: a bad
 * value stops the deployment with a message naming the setting ({@link AgentStateLimits}).
 *
 * @param maxRequestBytes the request body cap (§15, D14): 512 KiB, so that one maximum chunk in
 *     base64 (349 528 characters) always fits, to 1 GiB
 * @param ciphertextUrlTtl how long a {@code ciphertextUrl} stays valid (§10.4): 1 s to 7 days
 * @param ratePerSecond requests per second per tenant and node (D19); 0 turns the limit off
 * @param rateBurst requests a tenant may make at once
 * @param rateLimitTenants tenants whose buckets each node remembers (idle ones are full anyway)
 */
public record AgentStateSettings(
    long maxRequestBytes,
    Duration ciphertextUrlTtl,
    double ratePerSecond,
    double rateBurst,
    int rateLimitTenants) {
  static final String MAX_REQUEST_BYTES = "sealsync.agent-state.max-request-bytes";
  static final String CIPHERTEXT_URL_TTL = "sealsync.agent-state.ciphertext-url-ttl-seconds";
  static final String RATE_PER_SECOND = "sealsync.agent-state.rate-limit.per-second";
  static final String RATE_BURST = "sealsync.agent-state.rate-limit.burst";
  static final String RATE_LIMIT_TENANTS = "sealsync.agent-state.rate-limit.tenants";

  static final long MIN_REQUEST_BYTES = 512 * 1024;
  static final long MAX_REQUEST_BYTES_LIMIT = 1L << 30;
  static final Duration MAX_CIPHERTEXT_URL_TTL = Duration.ofDays(7);

  /**
   * Reads and checks every setting.
   *
   * @param config answers a full key with its value, if set
   * @throws IllegalArgumentException naming the first setting that is out of range
   */
  public static AgentStateSettings read(Function<String, Optional<String>> config) {
    return new AgentStateSettings(
        ConfigNumbers.longIn(
            MAX_REQUEST_BYTES,
            value(config, MAX_REQUEST_BYTES, "4194304"),
            MIN_REQUEST_BYTES,
            MAX_REQUEST_BYTES_LIMIT),
        ConfigDurations.atMost(
            CIPHERTEXT_URL_TTL, value(config, CIPHERTEXT_URL_TTL, "900"), MAX_CIPHERTEXT_URL_TTL),
        ConfigNumbers.decimalIn(RATE_PER_SECOND, value(config, RATE_PER_SECOND, "100"), 0, 1e9),
        ConfigNumbers.decimalIn(RATE_BURST, value(config, RATE_BURST, "200"), 1, 1e9),
        (int)
            ConfigNumbers.longIn(
                RATE_LIMIT_TENANTS, value(config, RATE_LIMIT_TENANTS, "100000"), 1, 10_000_000));
  }

  private static String value(
      Function<String, Optional<String>> config, String key, String defaultValue) {
    return config.apply(key).orElse(defaultValue);
  }
}
