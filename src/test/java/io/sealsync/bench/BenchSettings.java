package io.sealsync.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One run's settings, from system properties; {@code mvn -Pbench verify} sets the paths and ports
 * (pom.xml, profile {@code bench}), the rest have defaults for the full run.
 *
 * @param scale multiplies every count (bundles, blocks, rounds, snapshot rows, watchers), never the
 *     number of concurrent clients; {@code -Dbench.scale=0.2} is a quick smoke run
 * @param workloadLimit the most one measured load may take: clients start no operation after it
 * @param analyze whether to ANALYZE the database before each measured load (see Benchmark)
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
    boolean analyze) {

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
        Boolean.parseBoolean(System.getProperty("bench.analyze", "true")));
  }

  /** {@code full} scaled, at least 1. */
  int scaled(int full) {
    return Math.max(1, (int) Math.round(full * scale));
  }
}
