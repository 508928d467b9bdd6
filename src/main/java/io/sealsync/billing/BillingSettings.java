package io.sealsync.billing;

import io.sealsync.platform.config.ConfigNumbers;
import java.util.Optional;
import java.util.function.Function;

/**
 * The billing settings (docs/configuration.md), read once at start and range-checked.
 *
 * @param milliCentsPer1000Bytes the price of writes by live keys, in milli-cents per 1000 bytes
 *     (agent-state.md §12.1: 45, that is 0.045 per byte); 0 makes them free
 */
public record BillingSettings(long milliCentsPer1000Bytes) {
  static final String PRICE = "sealsync.billing.price-milli-cents-per-1000-bytes";

  /** The protocol's price. */
  public static final long PROTOCOL_PRICE = 45;

  /**
   * @param config answers a full key with its value, if set
   * @throws IllegalArgumentException naming the setting when it is out of range
   */
  public static BillingSettings read(Function<String, Optional<String>> config) {
    return new BillingSettings(
        ConfigNumbers.longIn(
            PRICE, config.apply(PRICE).orElse(String.valueOf(PROTOCOL_PRICE)), 0, 1_000_000));
  }

  /** The price of {@code bytes}, in milli-cents, rounded up. */
  public long price(long bytes) {
    return CreditArithmetic.price(bytes, milliCentsPer1000Bytes);
  }
}
