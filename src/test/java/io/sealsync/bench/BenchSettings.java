package io.sealsync.bench;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
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
 * @param warmUp how long the server's paths are exercised before the first measurement, so that the
 *     JIT compiler has settled: on two cores its threads otherwise take a share of the CPU away
 *     from the first measured loads
 * @param analyze whether to ANALYZE the database before each measured load (see Benchmark)
 * @param workloads the workloads to measure ({@code -Dbench.workloads=push1,replicate64}, for a
 *     profile of one path); empty means all
 * @param reference an external row-sync server measured beside Sealsync, or null
 *     (docs/benchmark.md, "Side by side with the reference server")
 * @param runtime the application server that runs the WAR: {@code liberty} (default), {@code
 *     payara} or {@code wildfly} ({@code -Dbench.runtime})
 * @param volume the volume profile's size ({@code -Dbench.volume=quick|default}), or null: measure
 *     at the empty size, load the database to that size, measure again (docs/benchmark.md, "The
 *     volume profile")
 */
record BenchSettings(
    double scale,
    int httpPort,
    int dbPort,
    Path wlpDir,
    String serverName,
    Path outDir,
    Duration workloadLimit,
    Duration warmUp,
    int watchers,
    boolean analyze,
    Set<String> workloads,
    Reference reference,
    String runtime,
    VolumeLoad.Size volume) {

  static final List<String> RUNTIMES = List.of("liberty", "payara", "wildfly");

  /**
   * The reference row-sync server: its base URL, the HS256 secret its tokens are signed with (the
   * user in {@code sub}), and optionally the command that starts it, which the benchmark runs once
   * its PostgreSQL is up and stops at the end.
   */
  record Reference(URL url, String jwtSecret, List<String> command) {
    /** The row-sync workloads the reference is measured on; the others are Sealsync's own. */
    static final Set<String> WORKLOADS =
        Set.of("request", "push100", "push5", "push1", "push1000", "pull");

    static Reference fromSystemProperties() {
      String url = System.getProperty("bench.reference.url", "").trim();
      String secret = System.getProperty("bench.reference.jwt-secret", "");
      String command = System.getProperty("bench.reference.command", "").trim();
      if (url.isEmpty()) {
        if (!secret.isEmpty() || !command.isEmpty()) {
          throw new IllegalArgumentException(
              "bench.reference.jwt-secret and bench.reference.command need bench.reference.url");
        }
        return null;
      }
      // jose4j refuses HS256 keys shorter than the hash (256 bits).
      if (secret.getBytes(StandardCharsets.UTF_8).length < 32) {
        throw new IllegalArgumentException(
            "bench.reference.jwt-secret: required with bench.reference.url, at least 32 bytes");
      }
      try {
        return new Reference(
            URI.create(url).toURL(),
            secret,
            command.isEmpty() ? List.of() : List.of(command.split("\\s+")));
      } catch (MalformedURLException | IllegalArgumentException e) {
        throw new IllegalArgumentException("bench.reference.url: " + e.getMessage(), e);
      }
    }
  }

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
        Duration.ofSeconds(Integer.getInteger("bench.warm-up-seconds", 40)),
        watchers >= 0 ? watchers : Math.max(50, (int) Math.round(1000 * scale)),
        Boolean.parseBoolean(System.getProperty("bench.analyze", "true")),
        workloads(System.getProperty("bench.workloads", "")),
        Reference.fromSystemProperties(),
        runtime(System.getProperty("bench.runtime", "liberty")),
        volume(System.getProperty("bench.volume", "")));
  }

  private static VolumeLoad.Size volume(String name) {
    return name.isBlank() || name.equalsIgnoreCase("off") ? null : VolumeLoad.Size.of(name);
  }

  /**
   * Options of the server's JVM beyond the bench profile's: with the volume profile, a retention
   * window of exactly the heavy users' loaded history (rowsync.md §13), as a deployment holding it
   * would be configured, so that each further bundle of a heavy user prunes its oldest.
   */
  List<String> serverOptions() {
    return volume == null
        ? List.of()
        : List.of("-Dsealsync.rowsync.retained-bundles-per-user=" + retentionWindow());
  }

  /** The volume profile's retention window, in bundles per user. */
  long retentionWindow() {
    return volume.heavyBundles();
  }

  private static String runtime(String name) {
    String r = name.trim().toLowerCase(java.util.Locale.ROOT);
    if (!RUNTIMES.contains(r)) {
      throw new IllegalArgumentException("bench.runtime: " + name + "; known: " + RUNTIMES);
    }
    return r;
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
          "request",
          "push100",
          "push5",
          "push1",
          "push1000",
          "pull",
          "snapshot",
          "replicate64",
          "replicate256",
          "watch");

  /** Whether the reference server is measured on that workload in this run. */
  boolean measuresReference(String workload) {
    return reference != null && Reference.WORKLOADS.contains(workload) && measures(workload);
  }

  /** {@code full} scaled, at least 1. */
  int scaled(int full) {
    return Math.max(1, (int) Math.round(full * scale));
  }
}
