package io.sealsync.platform;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Token buckets per key (a tenant): {@code perSecond} requests on average, bursts up to {@code
 * burst}. Idle buckets are full, so only the busiest {@code maxKeys} keys are remembered.
 */
public final class RateLimiter {
  private final double perSecond;
  private final double burst;
  private final LongSupplier nanoClock;
  private final Map<String, double[]> buckets;

  public RateLimiter(double perSecond, double burst, int maxKeys, LongSupplier nanoClock) {
    this.perSecond = perSecond;
    this.burst = Math.max(1, burst);
    this.nanoClock = nanoClock;
    this.buckets =
        new LinkedHashMap<>(1024, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
            return size() > maxKeys;
          }
        };
  }

  /**
   * Takes one token for {@code key}.
   *
   * @return 0 when allowed, else the whole seconds until a token is available (at least 1)
   */
  public synchronized long acquire(String key) {
    if (perSecond <= 0) {
      return 0;
    }
    long now = nanoClock.getAsLong();
    // [tokens, last refill time in nanoseconds]
    double[] b = buckets.computeIfAbsent(key, k -> new double[] {burst, now});
    b[0] = Math.min(burst, b[0] + (now - b[1]) / 1e9 * perSecond);
    b[1] = now;
    if (b[0] >= 1) {
      b[0] -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - b[0]) / perSecond));
  }
}
