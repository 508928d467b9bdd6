package io.sealsync.faults;

import io.sealsync.testsupport.Http;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads in a loop over routes that must keep answering properly whatever the database does: each
 * answer must be one of the route's own, or a 503/429 with Retry-After.
 */
final class Prober extends FaultClient {
  record Probe(
      String what,
      String method,
      String path,
      String authorization,
      Map<String, String> headers,
      Set<Integer> expected) {}

  private final List<Probe> probes = new ArrayList<>();
  private Http health;

  /** Reads answered (not writes: {@link #acknowledged} stays 0). */
  final java.util.concurrent.atomic.AtomicLong answered =
      new java.util.concurrent.atomic.AtomicLong();

  Prober(String name, List<Http> nodes, Tally tally) {
    super(name, nodes, tally);
  }

  /** Where MicroProfile Health is served, when not at the application's address (WildFly). */
  Prober health(Http at) {
    this.health = at;
    return this;
  }

  Prober probe(String what, String path, String authorization, Set<Integer> expected) {
    return probe(what, path, authorization, Map.of(), expected);
  }

  Prober probe(
      String what,
      String path,
      String authorization,
      Map<String, String> headers,
      Set<Integer> expected) {
    probes.add(new Probe(what, "GET", path, authorization, headers, expected));
    return this;
  }

  /**
   * Health is for orchestrators, not protocol clients: its 503 (DOWN) carries no Retry-After, so
   * only the status and the time to answer are checked.
   */
  private HttpResponse<byte[]> health(Probe p, Http at) throws InterruptedException {
    long started = System.nanoTime();
    try {
      HttpResponse<byte[]> r = at.exchange("GET", p.path(), null, Map.of(), null);
      long millis = (System.nanoTime() - started) / 1_000_000;
      if (millis > 20_000) {
        tally.violation(p.what() + " answered after " + millis + " ms");
      }
      if (!p.expected().contains(r.statusCode())) {
        tally.violation(p.what() + " answered " + r.statusCode() + ": " + Tally.body(r));
        return null;
      }
      return r;
    } catch (java.io.IOException e) {
      tally.transportFailure();
      return null;
    }
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
  }

  @Override
  void work() throws Exception {
    while (!stopping()) {
      for (Probe p : probes) {
        HttpResponse<byte[]> r =
            p.what().startsWith("health")
                ? health(
                    p, p.path().startsWith("/health") && health != null ? health : nodes.get(0))
                : call(p.what(), p.method(), p.path(), p.authorization(), p.headers(), null);
        if (r != null) {
          if (p.expected().contains(r.statusCode())) {
            answered.incrementAndGet();
          } else if (r.statusCode() < 500) {
            tally.violation(p.what() + " answered " + r.statusCode() + ": " + Tally.body(r));
          }
        }
        Thread.sleep(50);
      }
    }
  }
}
