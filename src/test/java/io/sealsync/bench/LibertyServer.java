package io.sealsync.bench;

import io.sealsync.testsupport.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The OpenLiberty server under test, as {@code liberty:create} and {@code liberty:deploy} prepared
 * it (pom.xml, profile {@code bench}): started and stopped with Liberty's own {@code bin/server}
 * script, so that it runs in its own JVM exactly as a deployed server does.
 */
final class LibertyServer implements BenchServer {
  /**
   * The per-tenant rate limit far above what the load reaches: the benchmark measures throughput,
   * not the limiter (the bench profile gives Liberty the same options).
   */
  static final String[] RATE_LIMIT_OPTIONS = {
    "-Dsealsync.agent-state.rate-limit.per-second=1000000",
    "-Dsealsync.agent-state.rate-limit.burst=1000000"
  };

  private final Path wlp;
  private final String name;
  private final Path log;
  private final List<String> options;
  private boolean started;

  /** {@code options}: JVM options beyond the bench profile's, passed in {@code JVM_ARGS}. */
  LibertyServer(Path wlp, String name, Path log, List<String> options) {
    this.wlp = wlp;
    this.name = name;
    this.log = log;
    this.options = options;
  }

  @Override
  public void start() throws IOException, InterruptedException {
    // A server left running by an interrupted run would refuse to start (and hold the ports).
    if (pidFile().flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false)) {
      System.out.println("[bench] stopping a server " + name + " left running earlier");
      script("stop", Duration.ofSeconds(60));
    }
    started = true;
    int exit = script("start", Duration.ofSeconds(180));
    if (exit != 0) {
      throw new IllegalStateException(
          "server start " + name + " exited with " + exit + "; see " + log + " and " + logsDir());
    }
  }

  /** Polls until the application answers ready: migrations applied and row sync bootstrapped. */
  @Override
  public void awaitReady(Http http, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        Http.Reply ready = http.send("GET", "/health/ready", null, null);
        Http.Reply sync = http.send("GET", "/syncx/health", null, null);
        if (ready.status() == 200 && sync.status() == 200) {
          return;
        }
        last = "/health/ready " + ready.status() + ", /syncx/health " + sync.status();
      } catch (IllegalStateException notYet) {
        last = String.valueOf(notYet.getCause());
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "server " + name + " not ready after " + timeout + " (" + last + "); see " + logsDir());
  }

  @Override
  public long pid() throws IOException {
    return pidFile().orElseThrow(() -> new IllegalStateException("no pid file of " + name));
  }

  @Override
  public String description() {
    return "OpenLiberty, -Xmx512m (pom.xml, profile bench)";
  }

  /** The server JVM's process id, from the pid file Liberty's script writes at start. */
  private Optional<Long> pidFile() throws IOException {
    Path file = wlp.resolve("usr/servers/.pid").resolve(name + ".pid");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    String text = Files.readString(file).trim();
    return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
  }

  Path logsDir() {
    return wlp.resolve("usr/servers").resolve(name).resolve("logs");
  }

  /** Stops the server (idempotent); kills it if the script cannot. */
  @Override
  public synchronized void close() throws IOException, InterruptedException {
    if (!started) {
      return;
    }
    started = false;
    Optional<ProcessHandle> process = pidFile().flatMap(ProcessHandle::of);
    script("stop", Duration.ofSeconds(90));
    if (process.isPresent() && process.get().isAlive()) {
      process.get().destroyForcibly();
    }
  }

  private int script(String action, Duration timeout) throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(List.of(wlp.resolve("bin/server").toString(), action, name))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // The same JDK as the load generator; and none of the caller's SEALSYNC_* or port variables,
    // which would point the server away from the benchmark's database and ports (server.xml).
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment()
        .keySet()
        .removeIf(k -> k.startsWith("SEALSYNC_") || k.startsWith("DEFAULT_HTTP"));
    if (!options.isEmpty()) {
      pb.environment().merge("JVM_ARGS", String.join(" ", options), (a, b) -> a + " " + b);
    }
    Process p = pb.start();
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
