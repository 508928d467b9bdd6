package io.sealsync.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigDurationsTest {
  @Test
  void acceptsTheSpellingsOperatorsUse() {
    assertEquals(Duration.ofMinutes(15), ConfigDurations.positive("k", "PT15M"));
    assertEquals(Duration.ofMinutes(15), ConfigDurations.positive("k", "pt15m"));
    assertEquals(Duration.ofSeconds(900), ConfigDurations.positive("k", "900"));
    assertEquals(Duration.ofSeconds(900), ConfigDurations.positive("k", " 900s "));
    assertEquals(Duration.ofMinutes(10), ConfigDurations.positive("k", "10m"));
    assertEquals(Duration.ofHours(2), ConfigDurations.positive("k", "2h"));
    assertEquals(Duration.ofMillis(1500), ConfigDurations.positive("k", "1500ms"));
  }

  @Test
  void refusesWhatIsNotAPositiveDurationNamingTheSetting() {
    for (String bad :
        new String[] {"", "0", "0s", "-5", "PT-1S", "-PT1M", "ten", "5d", "PT", "1.5m"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> ConfigDurations.positive("sealsync.x.ttl", bad),
              bad);
      assertTrue(e.getMessage().startsWith("sealsync.x.ttl "), e.getMessage());
    }
  }
}
