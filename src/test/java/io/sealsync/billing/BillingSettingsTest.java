package io.sealsync.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BillingSettingsTest {

  @Test
  void theDefaultIsTheProtocolsPrice() {
    BillingSettings s = BillingSettings.read(key -> Optional.empty());
    for (long n : new long[] {0, 1, 22, 23, 100, 1024, 4096, 64_997, 65_536, 262_144}) {
      assertEquals(CreditArithmetic.price(n), s.price(n), "price of " + n);
    }
    assertEquals(11_797, s.price(262_144));
  }

  @Test
  void anotherPriceRoundsUpExactly() {
    BillingSettings s = BillingSettings.read(lookup(Map.of(BillingSettings.PRICE, "1000")));
    assertEquals(262_144, s.price(262_144));
    assertEquals(0, BillingSettings.read(lookup(Map.of(BillingSettings.PRICE, "0"))).price(65_536));
    assertEquals(1, BillingSettings.read(lookup(Map.of(BillingSettings.PRICE, "1"))).price(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-45", "0.045", "1000001", "", "free"})
  void aPriceOutOfRangeStopsTheStartNamingTheSetting(String value) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BillingSettings.read(lookup(Map.of(BillingSettings.PRICE, value))));
    assertTrue(e.getMessage().startsWith(BillingSettings.PRICE + " must be "), e.getMessage());
  }

  private static Function<String, Optional<String>> lookup(Map<String, String> values) {
    return key -> Optional.ofNullable(values.get(key));
  }
}
