package io.sealsync.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One run's settings, from system properties; {@code mvn -Pbench verify} sets the paths and ports
 * (pom.xml, profile {@code bench}), the rest have defaults for the full run.
 *
 * @param scale multiplies every count (bundles, blocks, rounds, snapshot rows, watchers), never the
 *     number of concurrent clients; {@code -Dbench.scale=0.2} is a quick smoke run
 * @param workloadLimit the most one measured load may take: clients start no operation after it
 * @param analyze whether to ANALYZE the database before each measured load (see Benchmark)
 * @param workloads the workloads to measure ({@code -Dbench.workloads=push1,replicate64}, for a
 *     profile of one path); empty means all
 */
record BenchSettings(
    double scale,
    int httpPort,
    int dbPort,
    Path wlpDir,
    String serverName,
    Path outDir,
    Duration workloadLimit,
    int watchers,
    boolean analyze,
    Set<String> workloads) {

  static BenchSettings fromSystemProperties() {
    double scale = Double.parseDouble(System.getProperty("bench.scale", "1"));
    if (!(scale > 0)) {
      throw new IllegalArgumentException("bench.scale must be > 0");
    }
    int watchers = Integer.getInteger("bench.watchers", -1);
    return new BenchSettings(
        scale,
        Integer.getInteger("bench.http.port", 9480),
        Integer.getInteger("bench.db.port", 55438),
        Path.of(System.getProperty("bench.wlp.dir", "target/liberty/wlp")).toAbsolutePath(),
        System.getProperty("bench.server", "sealsync-bench"),
        Path.of(System.getProperty("bench.out", "target/bench")).toAbsolutePath(),
        Duration.ofSeconds(Integer.getInteger("bench.workload.max-seconds", 60)),
        watchers >= 0 ? watchers : Math.max(50, (int) Math.round(1000 * scale)),
        Boolean.parseBoolean(System.getProperty("bench.analyze", "true")),
        workloads(System.getProperty("bench.workloads", "")));
  }

  private static Set<String> workloads(String names) {
    Set<String> chosen =
        Arrays.stream(names.split("[,\\s]+"))
            .filter(w -> !w.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    for (String w : chosen) {
      if (!ALL_WORKLOADS.contains(w)) {
        throw new IllegalArgumentException(
            "bench.workloads: unknown workload " + w + "; known: " + ALL_WORKLOADS);
      }
    }
    return chosen;
  }

  /** Whether the workload of that name is measured in this run. */
  boolean measures(String workload) {
    return workloads.isEmpty() || workloads.contains(workload);
  }

  static final List<String> ALL_WORKLOADS =
      List.of(
          "push100",
          "push5",
          "push1",
          "push1000",
          "pull",
          "snapshot",
          "replicate64",
          "replicate256",
          "watch");

  /** {@code full} scaled, at least 1. */
  int scaled(int full) {
    return Math.max(1, (int) Math.round(full * scale));
  }
}
