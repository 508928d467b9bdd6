package io.sealsync.faults;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the clients of a fault test saw: answers by status, transport failures, the slowest answer,
 * and every answer a client must never get (a 5xx other than 503, a 429 or 503 without {@code
 * Retry-After}, an answer slower than the bound).
 */
final class Tally {
  private final Map<Integer, Long> statuses = new TreeMap<>();
  private final List<String> violations = new ArrayList<>();
  private final AtomicLong transportFailures = new AtomicLong();
  private final AtomicLong slowestMillis = new AtomicLong();
  private final long boundMillis;

  /**
   * @param boundMillis the longest an answer may take (a request never hangs)
   */
  Tally(long boundMillis) {
    this.boundMillis = boundMillis;
  }

  /**
   * Records an answer; returns the seconds the client is asked to wait before trying again (a 429
   * or 503 with Retry-After), else 0.
   */
  long answer(String what, HttpResponse<byte[]> r, long millis) {
    slowestMillis.accumulateAndGet(millis, Math::max);
    int status = r.statusCode();
    synchronized (this) {
      statuses.merge(status, 1L, Long::sum);
    }
    if (millis > boundMillis) {
      violation(what + " answered " + status + " after " + millis + " ms");
    }
    if (status == 429 || status == 503) {
      String retryAfter = r.headers().firstValue("Retry-After").orElse(null);
      if (retryAfter == null || !retryAfter.matches("[0-9]+")) {
        violation(what + " answered " + status + " without Retry-After: " + body(r));
        return 1;
      }
      return Math.max(1, Long.parseLong(retryAfter));
    }
    if (status >= 500) {
      violation(what + " answered " + status + ": " + body(r));
    }
    return 0;
  }

  /** The node was out of reach (killed, stopping): the client retries, as the clients do. */
  void transportFailure() {
    transportFailures.incrementAndGet();
  }

  synchronized void violation(String message) {
    if (violations.size() < 50) {
      violations.add(message);
    }
  }

  synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  synchronized long count(int status) {
    return statuses.getOrDefault(status, 0L);
  }

  synchronized long count5xx() {
    return statuses.entrySet().stream()
        .filter(e -> e.getKey() >= 500)
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  long transportFailures() {
    return transportFailures.get();
  }

  long slowestMillis() {
    return slowestMillis.get();
  }

  @Override
  public synchronized String toString() {
    return "answers by status "
        + statuses
        + ", transport failures "
        + transportFailures.get()
        + ", slowest answer "
        + slowestMillis.get()
        + " ms";
  }

  static String body(HttpResponse<byte[]> r) {
    String s = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }
}
