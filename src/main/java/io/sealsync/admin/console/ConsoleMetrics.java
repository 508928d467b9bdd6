package io.sealsync.admin.console;

import io.sealsync.rowsync.read.RowsPulled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * This node's traffic per minute over the last hour, for the console's live charts: a ring of 60
 * minute slots per series, in memory. Counting is one array update; memory is bounded by the series
 * (three fixed ones and at most one per HTTP error status), never by traffic. Nodes count
 * separately; nothing is persisted.
 */
@ApplicationScoped
public class ConsoleMetrics {
  public static final int MINUTES = 60;

  public enum Series {
    REPLICATE_REQUESTS("replicate_requests"),
    PUSHED_BUNDLES("pushed_bundles"),
    PULLED_ROWS("pulled_rows");

    final String wire;

    Series(String wire) {
      this.wire = wire;
    }
  }

  /** Sixty counters and the minute each holds; a slot from an older hour reads as zero. */
  static final class Ring {
    private final AtomicLongArray counts = new AtomicLongArray(MINUTES);
    private final AtomicLongArray minutes = new AtomicLongArray(MINUTES);

    void add(long minute, long n) {
      int slot = (int) (minute % MINUTES);
      long held = minutes.get(slot);
      if (held != minute) {
        // The first count of a new minute resets the slot; a race between two first counts may
        // drop one of them, an acceptable error for a live chart.
        if (minutes.compareAndSet(slot, held, minute)) {
          counts.set(slot, 0);
        }
      }
      counts.addAndGet(slot, n);
    }

    long[] last(long currentMinute) {
      long[] out = new long[MINUTES];
      for (int i = 0; i < MINUTES; i++) {
        long minute = currentMinute - (MINUTES - 1) + i;
        int slot = (int) (minute % MINUTES);
        out[i] = minutes.get(slot) == minute ? counts.get(slot) : 0;
      }
      return out;
    }
  }

  private final Map<Series, Ring> series = new ConcurrentHashMap<>();
  private final Map<Integer, Ring> errors = new ConcurrentHashMap<>();

  public ConsoleMetrics() {
    for (Series s : Series.values()) {
      series.put(s, new Ring());
    }
  }

  static long minuteNow() {
    return System.currentTimeMillis() / 60_000;
  }

  void onRowsPulled(@Observes RowsPulled pulled) {
    count(Series.PULLED_ROWS, pulled.rows());
  }

  public void count(Series s, long n) {
    if (n > 0) {
      series.get(s).add(minuteNow(), n);
    }
  }

  /** An error response; statuses outside 400-599 are not errors and are ignored. */
  public void error(int status) {
    if (status >= 400 && status <= 599) {
      errors.computeIfAbsent(status, k -> new Ring()).add(minuteNow(), 1);
    }
  }

  /** The last hour, oldest minute first. */
  public record Snapshot(
      List<String> minutes, Map<String, long[]> series, Map<String, long[]> errors) {}

  public Snapshot snapshot() {
    long now = minuteNow();
    List<String> minuteLabels = new ArrayList<>(MINUTES);
    for (int i = 0; i < MINUTES; i++) {
      minuteLabels.add(
          io.sealsync.platform.Timestamps.format(
              java.time.Instant.ofEpochMilli((now - (MINUTES - 1) + i) * 60_000)));
    }
    Map<String, long[]> s = new java.util.LinkedHashMap<>();
    for (Series x : Series.values()) {
      s.put(x.wire, series.get(x).last(now));
    }
    Map<String, long[]> e = new TreeMap<>();
    errors.forEach(
        (status, ring) -> {
          long[] counts = ring.last(now);
          if (java.util.Arrays.stream(counts).anyMatch(c -> c > 0)) {
            e.put(String.valueOf(status), counts);
          }
        });
    return new Snapshot(minuteLabels, s, e);
  }
}
