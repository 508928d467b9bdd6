package io.sealsync.platform.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped alert rules and Grafana dashboard ({@code docs/monitoring}) stay valid and only query
 * metrics the server exposes: promtool checks the rules and runs their unit tests (skipped when
 * promtool is not installed), and the dashboard's queries are held to the known metric names.
 */
class AlertRulesTest {
  /** The metric names (as exposed) that the server and Prometheus provide. */
  static final Set<String> KNOWN_METRICS =
      Set.of(
          "up",
          "sealsync_http_server_requests_seconds_bucket",
          "sealsync_http_server_requests_seconds_count",
          "sealsync_http_server_requests_seconds_sum",
          "sealsync_rowsync_bundles_committed_total",
          "sealsync_rowsync_rows_pushed_total",
          "sealsync_rowsync_rows_pulled_total",
          "sealsync_rowsync_push_sessions_open",
          "sealsync_rowsync_snapshot_sessions_open",
          "sealsync_rowsync_history_pruned_total",
          "sealsync_rowsync_push_conflicts_total",
          "sealsync_rowsync_watch_streams_open",
          "sealsync_rowsync_watch_listener_up",
          "sealsync_rowsync_watch_listener_lag_seconds",
          "sealsync_agentstate_blocks_replicated_total",
          "sealsync_agentstate_bytes_replicated_total",
          "sealsync_agentstate_split_brain_conflicts_total",
          "sealsync_agentstate_snapshots_stored_total",
          "sealsync_agentstate_replay_pages_total",
          "sealsync_agentstate_replay_bytes_total",
          "sealsync_agentstate_rate_limited_total",
          "sealsync_billing_credits_debited_total",
          "sealsync_billing_debits_refused_total",
          "sealsync_db_pool_connections_in_use",
          "sealsync_db_pool_connections_idle",
          "sealsync_db_pool_connections_max",
          "sealsync_db_pool_wait_seconds_total",
          "sealsync_health_up",
          "jvm_memory_used_bytes",
          "jvm_memory_max_bytes",
          "jvm_threads_live_threads",
          "jvm_gc_pause_seconds_count",
          "jvm_gc_pause_seconds_sum",
          "jvm_gc_pause_seconds_max",
          "process_cpu_usage",
          "process_uptime_seconds");

  private static final long PROMTOOL_TIMEOUT_SECONDS = 120;

  @Test
  void promtoolChecksTheRules(@TempDir Path tmp) throws Exception {
    runPromtool(tmp, "check", "rules", MonitoringFiles.RULES);
  }

  @Test
  void promtoolRunsTheRuleUnitTests(@TempDir Path tmp) throws Exception {
    runPromtool(tmp, "test", "rules", MonitoringFiles.RULES_TEST);
  }

  @Test
  void rulesOnlyQueryKnownMetrics() {
    Set<String> names = MonitoringFiles.metricNamesInRules();
    assertFalse(names.isEmpty(), "no metric names found in " + MonitoringFiles.RULES);
    assertEquals(Set.of(), unknown(names), "unknown metrics in " + MonitoringFiles.RULES);
  }

  @Test
  void everyDashboardPanelQueriesKnownMetrics() {
    List<JsonObject> panels = MonitoringFiles.dashboardPanels();
    assertFalse(panels.isEmpty(), "no panels in " + MonitoringFiles.DASHBOARD);
    for (JsonObject panel : panels) {
      String title = panel.getString("title", "(untitled)");
      List<String> exprs = MonitoringFiles.targetExprs(panel);
      assertFalse(exprs.isEmpty(), () -> "panel \"" + title + "\" has no target with an expr");
      for (String expr : exprs) {
        Set<String> names = MonitoringFiles.metricNames(expr);
        assertFalse(names.isEmpty(), () -> "panel \"" + title + "\" queries no metric: " + expr);
        assertEquals(
            Set.of(),
            unknown(names),
            () -> "panel \"" + title + "\" queries unknown metrics: " + expr);
      }
    }
    assertEquals(Set.of(), unknown(MonitoringFiles.metricNamesInDashboard()));
  }

  private static Set<String> unknown(Set<String> names) {
    Set<String> unknown = new TreeSet<>(names);
    unknown.removeAll(KNOWN_METRICS);
    return unknown;
  }

  private static void runPromtool(Path tmp, String... args) throws Exception {
    Optional<Path> promtool = promtool();
    Assumptions.assumeTrue(
        promtool.isPresent(),
        "promtool not installed (Debian package prometheus): not on PATH nor /usr/bin/promtool");
    List<String> command = new ArrayList<>();
    command.add(promtool.get().toString());
    command.addAll(List.of(args));
    Path dir = MonitoringFiles.dir();
    // Output to a file, not a pipe: a hung promtool cannot block the test on a read.
    Path log = tmp.resolve("promtool.log");
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean finished = process.waitFor(PROMTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly().waitFor();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    String what = String.join(" ", command) + " (in " + dir + ")";
    assertTrue(
        finished, () -> what + " did not finish in " + PROMTOOL_TIMEOUT_SECONDS + " s:\n" + output);
    assertEquals(0, process.exitValue(), () -> what + " failed:\n" + output);
  }

  /** promtool on the PATH, else in /usr/bin where Debian's prometheus package puts it. */
  private static Optional<Path> promtool() {
    List<Path> candidates = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(File.pathSeparator)) {
        if (!entry.isEmpty()) {
          try {
            candidates.add(Path.of(entry, "promtool"));
          } catch (InvalidPathException e) {
            // Not a directory this platform can name; skip it.
          }
        }
      }
    }
    candidates.add(Path.of("/usr/bin/promtool"));
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }
}
