package io.sealsync.admin.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConsoleMetricsTest {
  @Test
  void aRingHoldsTheLastSixtyMinutesOldestFirst() {
    ConsoleMetrics.Ring ring = new ConsoleMetrics.Ring();
    long now = 1_000_000;
    ring.add(now - 59, 1);
    ring.add(now - 1, 7);
    ring.add(now, 3);
    ring.add(now, 2);
    long[] last = ring.last(now);
    assertEquals(60, last.length);
    assertEquals(1, last[0]);
    assertEquals(7, last[58]);
    assertEquals(5, last[59]);
    assertEquals(13, java.util.Arrays.stream(last).sum());
    // A minute later the oldest point has left the window.
    assertEquals(12, java.util.Arrays.stream(ring.last(now + 1)).sum());
  }

  @Test
  void aSlotFromAnEarlierHourReadsAsZero() {
    ConsoleMetrics.Ring ring = new ConsoleMetrics.Ring();
    ring.add(500, 9);
    long[] later = ring.last(500 + 60);
    assertArrayEquals(new long[60], later);
    ring.add(560, 4);
    assertEquals(4, ring.last(560)[59]);
  }

  @Test
  void onlyErrorStatusesAreCounted() {
    ConsoleMetrics m = new ConsoleMetrics();
    m.error(200);
    m.error(302);
    m.error(404);
    m.error(404);
    m.error(503);
    m.count(ConsoleMetrics.Series.PULLED_ROWS, 0);
    ConsoleMetrics.Snapshot s = m.snapshot();
    assertEquals(java.util.Set.of("404", "503"), s.errors().keySet());
    assertEquals(2, s.errors().get("404")[59]);
    assertEquals(0, java.util.Arrays.stream(s.series().get("pulled_rows")).sum());
    assertEquals(60, s.minutes().size());
  }
}
