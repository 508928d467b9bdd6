package io.sealsync.platform.observability;

import static io.sealsync.rowsync.SyncClient.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sealsync.agentstate.ReplicationClient;
import io.sealsync.rowsync.SyncClient;
import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.Prometheus;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real Prometheus scrapes the server's {@code /metrics} while known traffic is driven, and its
 * own query API must show exactly that traffic: the counters an operator's alerts and dashboards
 * read.
 */
@ExtendWith(ArquillianExtension.class)
class PrometheusIT {
  private static final Duration SCRAPED = Duration.ofSeconds(30);

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;

  @Test
  void prometheusCountsWhatTheServerDid() throws Exception {
    assumeTrue(
        Prometheus.installed(),
        "Prometheus is not installed (Debian package prometheus): " + Prometheus.BINARY);
    Http http = new Http(base);
    // Exposure: in development mode /metrics is open, in Prometheus' text format.
    assertEquals(401, http.send("GET", "/sync/capabilities", null, null).status());
    Http.Reply scrape = http.send("GET", "/metrics", null, null);
    assertEquals(200, scrape.status());
    assertTrue(scrape.contentType().startsWith("text/plain"), scrape.contentType());
    assertTrue(
        scrape.text().contains("# TYPE sealsync_http_server_requests_seconds histogram"),
        String.join(
            "\n", scrape.text().lines().filter(l -> l.startsWith("# TYPE sealsync")).toList()));

    try (Prometheus prometheus = Prometheus.scraping(base.getHost() + ":" + base.getPort())) {
      Map<String, String> series = new LinkedHashMap<>();
      series.put("bundles", "sealsync_rowsync_bundles_committed_total{origin=\"client\"}");
      series.put("rows", "sealsync_rowsync_rows_pushed_total");
      series.put(
          "commits",
          "sealsync_http_server_requests_seconds_count{route=\"/sync/push-sessions/{pushId}/commit\","
              + "method=\"POST\",status=\"200\"}");
      series.put("blocks", "sealsync_agentstate_blocks_replicated_total");
      series.put("bytes", "sealsync_agentstate_bytes_replicated_total");
      series.put("debited", "sealsync_billing_credits_debited_total");
      series.put("refused", "sealsync_billing_debits_refused_total");
      series.put("splitBrain", "sealsync_agentstate_split_brain_conflicts_total");
      series.put(
          "splitBrainCode",
          "sealsync_errors_total{api=\"agent-state\",code=\"split_brain_detected\"}");
      series.put("pulled", "sealsync_rowsync_rows_pulled_total");
      series.put("replays", "sealsync_agentstate_replay_pages_total");
      series.put(
          "conflict409",
          "sealsync_http_server_requests_seconds_count{route=\"/v2-agent-state/replicate\","
              + "status=\"409\"}");
      prometheus.awaitFreshScrape();
      Map<String, Double> before = new LinkedHashMap<>();
      series.forEach((k, q) -> before.put(k, prometheus.sum(q)));

      // Row sync: 7 bundles of 3 rows, pushed by a new device, then pulled by a second one.
      String user = "metrics-" + UUID.randomUUID();
      SyncClient device = new SyncClient(base, user, "src-" + UUID.randomUUID());
      assertEquals(200, device.connect(false).status());
      for (int i = 1; i <= 7; i++) {
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
          rows.add(tag("m" + i + "-" + r + "-" + UUID.randomUUID(), "INSERT", 0, "red"));
        }
        device.push(i, rows);
      }
      SyncClient other = new SyncClient(base, user, "src-" + UUID.randomUUID());
      assertEquals(200, other.send("GET", "/sync/pull?after_bundle_seq=0", null).status());

      // Agent state: 4 paid blocks of 1,000 bytes, a split brain, a refused debit, a replay.
      Http.LiveTenant payer = http.liveTenant(100, null, null);
      ReplicationClient agent = new ReplicationClient(http, payer.key());
      for (int i = 0; i < 4; i++) {
        assertEquals(
            200, ReplicationClient.unlimited(() -> agent.append(List.of(new byte[1000]))).status());
      }
      ReplicationClient rewriter = new ReplicationClient(http, payer.key());
      assertEquals(
          409,
          ReplicationClient.unlimited(
                  () -> rewriter.append(List.of(ReplicationClient.blob(1000, 7))))
              .status());
      ReplicationClient broke = new ReplicationClient(http, http.liveTenant(0, null, null).key());
      assertEquals(
          402,
          ReplicationClient.unlimited(() -> broke.append(List.of(new byte[262_144]))).status());
      assertEquals(200, ReplicationClient.unlimited(() -> agent.replay(-1)).status());

      Map<String, Double> expected = new LinkedHashMap<>();
      expected.put("bundles", 7.0);
      expected.put("rows", 21.0);
      expected.put("commits", 7.0);
      expected.put("blocks", 4.0);
      expected.put("bytes", 4000.0);
      // 45 milli-cents per 1,000 bytes (agent-state.md §13), in credits.
      expected.put("debited", 4 * 0.045);
      expected.put("refused", 1.0);
      expected.put("splitBrain", 1.0);
      expected.put("splitBrainCode", 1.0);
      expected.put("pulled", 21.0);
      expected.put("replays", 1.0);
      expected.put("conflict409", 1.0);
      for (Map.Entry<String, Double> e : expected.entrySet()) {
        String q = series.get(e.getKey());
        double want = before.get(e.getKey()) + e.getValue();
        double got = prometheus.awaitSum(q, v -> Math.abs(v - want) < 1e-6, SCRAPED);
        assertEquals(want, got, 1e-6, e.getKey() + ": " + q);
      }

      // Every metric the shipped alert rules and dashboard read exists.
      Set<String> known = new TreeSet<>(prometheus.metricNames());
      Set<String> missing = new TreeSet<>(MonitoringFiles.metricNamesInRules());
      missing.addAll(MonitoringFiles.metricNamesInDashboard());
      missing.removeAll(known);
      // Micrometer registers the GC pause histogram at the server's first collection after the
      // metrics started, which a quiet test server may not have had yet.
      missing.removeIf(name -> name.startsWith("jvm_gc_pause_seconds"));
      if ("payara".equals(System.getProperty("arquillian.launch"))) {
        // Payara Micro publishes no pool statistics the application can read yet (its AMX
        // monitoring beans do not appear): only the pool's limit is reported there.
        missing.removeIf(name -> name.startsWith("sealsync_db_pool_") && !name.endsWith("_max"));
      }
      assertEquals(Set.of(), missing, "metrics the alerts or dashboard use, missing from /metrics");

      // Labels stay bounded: no tenant, user, key or session id in any series.
      String text = http.send("GET", "/metrics", null, null).text();
      for (String secret : List.of(user, payer.key(), String.valueOf(payer.tenantId()))) {
        assertTrue(!text.contains("\"" + secret + "\""), "a label holds " + secret);
      }
      assertTrue(!text.contains("route=\"/sync/push-sessions/" + "0"), "a raw path as route");
    }
  }
}
