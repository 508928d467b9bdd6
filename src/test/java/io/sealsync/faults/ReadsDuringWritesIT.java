package io.sealsync.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.agentstate.ReplicationClient;
import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.Http;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reads never queue behind writers: while many writers of one tenant race for its log head (each
 * append waits for the tenant's turn), heads of that tenant and of another are answered promptly.
 */
@ExtendWith(ArquillianExtension.class)
class ReadsDuringWritesIT {
  /**
   * The slowest head allowed. A head costs milliseconds on an idle machine and a second or two on
   * one loaded ten times over its cores; queued behind writers it took more than a minute.
   */
  static final long HEAD_BOUND_MILLIS = 10_000;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;

  @Test
  void headsAreAnsweredPromptlyWhileWritersContend() throws Exception {
    Http http = new Http(base);
    Http.LiveTenant busy = http.liveTenant(100_000, null, null);
    String quiet = Http.newProjectToken();
    assertEquals(
        200,
        new ReplicationClient(http, quiet)
            .append(List.of(ReplicationClient.blob(100, 1)))
            .status());
    int writers = 24;
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong appended = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
    List<Long> busyHeads = Collections.synchronizedList(new ArrayList<>());
    List<Long> quietHeads = Collections.synchronizedList(new ArrayList<>());
    List<String> wrong = Collections.synchronizedList(new ArrayList<>());
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        tasks.add(
            pool.submit(
                () -> {
                  long n = 0;
                  while (!stop.get()) {
                    // Blocks of 64 KiB make each append hold the tenant's turn a while.
                    ReplicationClient c = new ReplicationClient(http, busy.key());
                    Http.Reply head = c.head();
                    if (head.status() == 200) {
                      c.next = head.json().getJsonNumber("sequence_number").longValue() + 1;
                      c.root = head.json().getString("merkle_root");
                    }
                    Http.Reply r =
                        c.append(List.of(ReplicationClient.blob(65_536, writer * 100_000L + n++)));
                    if (r.status() == 200) {
                      appended.incrementAndGet();
                    } else if (r.status() == 429 || r.status() == 503) {
                      refused.incrementAndGet();
                      Thread.sleep(200);
                    } else if (r.status() != 409 && r.status() != 422) {
                      wrong.add("append " + r.status() + " " + r.text());
                    }
                  }
                  return null;
                }));
      }
      for (String token : List.of(busy.key(), quiet)) {
        List<Long> heads = token.equals(quiet) ? quietHeads : busyHeads;
        tasks.add(
            pool.submit(
                () -> {
                  ReplicationClient reader = new ReplicationClient(http, token);
                  while (!stop.get()) {
                    long started = System.nanoTime();
                    Http.Reply r = reader.head();
                    heads.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                    // The busy tenant's own reads share its rate limit with its writers; 404 before
                    // its first block.
                    if (r.status() != 200 && r.status() != 404 && r.status() != 429) {
                      wrong.add("head " + r.status() + " " + r.text());
                    }
                    Thread.sleep(100);
                  }
                  return null;
                }));
      }
      Thread.sleep(12_000);
      stop.set(true);
      for (Future<?> f : tasks) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    long busyMax = busyHeads.stream().mapToLong(Long::longValue).max().orElse(0);
    long quietMax = quietHeads.stream().mapToLong(Long::longValue).max().orElse(0);
    System.out.printf(
        "[faults] ReadsDuringWritesIT: %d writers of one tenant appended %d blocks of 64 KiB in"
            + " 12 s (%d refused with Retry-After); heads meanwhile: %d of that tenant (slowest %d"
            + " ms), %d of another (slowest %d ms)%n",
        writers,
        appended.get(),
        refused.get(),
        busyHeads.size(),
        busyMax,
        quietHeads.size(),
        quietMax);
    assertEquals(List.of(), wrong);
    // The key's use is still recorded (once a minute, by one request, not by all of them).
    Http.Reply keys = http.admin("GET", "/admin/tenants/" + busy.tenantId() + "/keys", null);
    assertFalse(keys.array().getJsonObject(0).isNull("last_used_at"), keys.text());
    assertTrue(appended.get() > 0, "the writers wrote");
    assertTrue(busyMax < HEAD_BOUND_MILLIS, "a head of the busy tenant took " + busyMax + " ms");
    assertTrue(quietMax < HEAD_BOUND_MILLIS, "a head of another tenant took " + quietMax + " ms");
  }
}
