package io.sealsync.platform.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This node's metrics, served in Prometheus' text format at {@code /metrics}: one Micrometer
 * registry inside the WAR, so the names are the same on every server. Counters count what was
 * committed or answered on this node (Prometheus sums the nodes); gauges that read the database are
 * registered by the features ({@link MeterBinder} beans) and cached there. No label ever holds a
 * tenant, user, key or session id: every label has a fixed, small set of values.
 */
@ApplicationScoped
public class Metrics {
  private static final Logger LOG = Logger.getLogger(Metrics.class.getName());

  /** Latency buckets of the request histogram: from a cached read to a large commit. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10)
  };

  /** The error codes that have a metric of their own, beside the count by code. */
  private static final Map<String, String> NAMED_ERRORS =
      Map.of(
          "split_brain_detected", "sealsync_agentstate_split_brain_conflicts",
          "rate_limited", "sealsync_agentstate_rate_limited",
          "history_pruned", "sealsync_rowsync_history_pruned",
          "push_conflict", "sealsync_rowsync_push_conflicts",
          "insufficient_credits", "sealsync_billing_debits_refused");

  @Inject @Any Instance<MeterBinder> binders;

  @Resource TransactionSynchronizationRegistry transactions;

  private PrometheusMeterRegistry registry;
  private JvmGcMetrics gc;
  private final Map<String, Timer> requestTimers = new ConcurrentHashMap<>();
  private final Map<String, Counter> errorCounters = new ConcurrentHashMap<>();

  private Counter clientBundles;
  private Counter serverBundles;
  private Counter rowsPushed;
  private Counter rowsPulled;
  private Counter blocksReplicated;
  private Counter bytesReplicated;
  private Counter snapshotsStored;
  private Counter replayPages;
  private Counter replayBytes;
  private Counter creditsDebited;

  @PostConstruct
  void init() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);

    clientBundles = bundles("client");
    serverBundles = bundles("server");
    rowsPushed = counter("sealsync_rowsync_rows_pushed", "Rows in committed push bundles.");
    rowsPulled = counter("sealsync_rowsync_rows_pulled", "Rows in bundles served by pull.");
    blocksReplicated =
        counter("sealsync_agentstate_blocks_replicated", "Blocks appended to replication logs.");
    bytesReplicated =
        counter(
            "sealsync_agentstate_bytes_replicated",
            "Ciphertext bytes of the blocks appended to replication logs.");
    snapshotsStored = counter("sealsync_agentstate_snapshots_stored", "Snapshots stored.");
    replayPages = counter("sealsync_agentstate_replay_pages", "Replay pages served.");
    replayBytes =
        counter("sealsync_agentstate_replay_bytes", "Ciphertext bytes in replay pages served.");
    creditsDebited =
        counter(
            "sealsync_billing_credits_debited",
            "Credits (cents) debited from accounts, in committed transactions.");
    NAMED_ERRORS.values().forEach(name -> counter(name, "Answers with the error code " + name));
    for (MeterBinder binder : binders) {
      binder.bindTo(registry);
    }
  }

  @PreDestroy
  void close() {
    if (gc != null) {
      gc.close();
    }
    registry.close();
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Writes every metric in Prometheus' text format (version 0.0.4). */
  public void scrape(OutputStream out) throws IOException {
    registry.scrape(out, CONTENT_TYPE);
  }

  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private Counter bundles(String origin) {
    return Counter.builder("sealsync_rowsync_bundles_committed")
        .description("Bundles committed: pushed by clients or written by the server.")
        .tag("origin", origin)
        .register(registry);
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  /** One answered request, by route template (never the raw path), method and status. */
  public void request(String route, String method, int status, long nanos) {
    String key = route + ' ' + method + ' ' + status;
    Timer t = requestTimers.get(key);
    if (t == null) {
      t =
          requestTimers.computeIfAbsent(
              key,
              k ->
                  Timer.builder("sealsync_http_server_requests")
                      .description("HTTP requests by route template, method and status.")
                      .tag("route", route)
                      .tag("method", method)
                      .tag("status", Integer.toString(status))
                      .tag("outcome", outcome(status))
                      .serviceLevelObjectives(BUCKETS)
                      .register(registry));
    }
    t.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** A protocol error answered; codes are the protocols' fixed enumerations. */
  public void error(String api, String code) {
    String key = api + ' ' + code;
    Counter c = errorCounters.get(key);
    if (c == null) {
      c =
          errorCounters.computeIfAbsent(
              key,
              k ->
                  Counter.builder("sealsync_errors")
                      .description("Error answers by API and error code.")
                      .tag("api", api)
                      .tag("code", code)
                      .register(registry));
    }
    c.increment();
    String named = NAMED_ERRORS.get(code);
    if (named != null) {
      registry.counter(named).increment();
    }
  }

  private static String outcome(int status) {
    if (status < 200) {
      return "INFORMATIONAL";
    } else if (status < 300) {
      return "SUCCESS";
    } else if (status < 400) {
      return "REDIRECTION";
    } else if (status < 500) {
      return "CLIENT_ERROR";
    }
    return "SERVER_ERROR";
  }

  /** Runs {@code count} once the current transaction has committed; never if it rolls back. */
  public void afterCommit(Runnable count) {
    transactions.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
              count.run();
            }
          }
        });
  }

  public void bundleCommitted(boolean byServer, long rows) {
    if (byServer) {
      serverBundles.increment();
    } else {
      clientBundles.increment();
      rowsPushed.increment(rows);
    }
  }

  public void rowsPulled(long rows) {
    rowsPulled.increment(rows);
  }

  public void replicated(int blocks, long bytes) {
    blocksReplicated.increment(blocks);
    bytesReplicated.increment(bytes);
  }

  public void snapshotStored() {
    snapshotsStored.increment();
  }

  public void replayPage(long bytes) {
    replayPages.increment();
    replayBytes.increment(bytes);
  }

  public void creditsDebited(long milliCents) {
    creditsDebited.increment(milliCents / 1000.0);
  }

  /** A gauge that failed to read is reported as missing, and why is logged once at FINE. */
  static double unreadable(String what, Exception e) {
    LOG.log(Level.FINE, "metric " + what + " could not be read", e);
    return Double.NaN;
  }
}
