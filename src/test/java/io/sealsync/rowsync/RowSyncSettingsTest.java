package io.sealsync.rowsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The row-sync settings an operator writes: documented defaults, and refusals that name the key.
 */
class RowSyncSettingsTest {
  private static RowSyncSettings read(Map<String, String> values) {
    return RowSyncSettings.read(key -> Optional.ofNullable(values.get(key)));
  }

  private static String refusal(String key, String value) {
    return assertThrows(IllegalArgumentException.class, () -> read(Map.of(key, value)))
        .getMessage();
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    RowSyncSettings s = read(Map.of());
    assertEquals(Duration.ofMinutes(15), s.initializationLease());
    assertEquals(Duration.ofMinutes(1), s.sessionSweepInterval());
    assertEquals(Duration.ofSeconds(5), s.statusRefresh());
    assertEquals(20, s.shutdownDrainSeconds());
    assertTrue(s.watchEnabled());
    assertEquals("oversync_bundle_change_v1", s.watchChannel());
    assertEquals(25, s.watchHeartbeatSeconds());
    assertEquals("sealsync", s.appName());
    assertEquals(0, s.maxRowsPerBundle());
    assertEquals(10_000, s.retainedBundlesPerUser());
    assertEquals(1_000, s.retentionPruneBatchSize());
  }

  @Test
  void operatorSpellingsAreRead() {
    RowSyncSettings s =
        read(
            Map.of(
                "sealsync.rowsync.initialization-lease-ttl", "90s",
                "sealsync.rowsync.watch.enabled", "FALSE",
                "sealsync.rowsync.retained-bundles-per-user", " 3 "));
    assertEquals(Duration.ofSeconds(90), s.initializationLease());
    assertEquals(false, s.watchEnabled());
    assertEquals(3, s.retainedBundlesPerUser());
  }

  @Test
  void outOfRangeValuesAreRefusedWithTheirKey() {
    assertTrue(
        refusal("sealsync.rowsync.initialization-lease-ttl", "-PT5M")
            .startsWith("sealsync.rowsync.initialization-lease-ttl must be a positive duration"));
    assertTrue(
        refusal("sealsync.rowsync.initialization-lease-ttl", "500ms")
            .contains("at least one second"));
    assertEquals(
        "sealsync.rowsync.retained-bundles-per-user must be a number from 1 to 1000000000;"
            + " got '0'",
        refusal("sealsync.rowsync.retained-bundles-per-user", "0"));
    assertTrue(
        refusal("sealsync.rowsync.max-rows-per-bundle", "-1")
            .startsWith("sealsync.rowsync.max-rows-per-bundle must be a number from 0 to "));
    assertEquals(
        "sealsync.rowsync.watch.heartbeat-seconds must be a number from 1 to 3600; got 'soon'",
        refusal("sealsync.rowsync.watch.heartbeat-seconds", "soon"));
    assertEquals(
        "sealsync.rowsync.watch.enabled must be true or false, got 'yes'",
        refusal("sealsync.rowsync.watch.enabled", "yes"));
    assertTrue(
        refusal("sealsync.rowsync.watch.channel", "bad-channel; DROP")
            .startsWith("sealsync.rowsync.watch.channel must match"));
  }
}
