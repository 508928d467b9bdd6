package io.sealsync.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  @Test
  void burstThenSteadyRatePerKey() {
    AtomicLong now = new AtomicLong();
    RateLimiter limiter = new RateLimiter(2, 3, 100, now::get);
    for (int i = 0; i < 3; i++) {
      assertEquals(0, limiter.acquire("a"));
    }
    assertTrue(limiter.acquire("a") >= 1);
    // Another tenant is not affected.
    assertEquals(0, limiter.acquire("b"));
    now.addAndGet(500_000_000L);
    assertEquals(0, limiter.acquire("a"));
    assertTrue(limiter.acquire("a") >= 1);
  }

  @Test
  void retryAfterCoversTheWait() {
    AtomicLong now = new AtomicLong();
    RateLimiter limiter = new RateLimiter(0.25, 1, 100, now::get);
    assertEquals(0, limiter.acquire("a"));
    assertEquals(4, limiter.acquire("a"));
  }

  @Test
  void zeroRateDisablesLimiting() {
    RateLimiter limiter = new RateLimiter(0, 0, 100, System::nanoTime);
    for (int i = 0; i < 1000; i++) {
      assertEquals(0, limiter.acquire("a"));
    }
  }
}
