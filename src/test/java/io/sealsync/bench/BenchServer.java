package io.sealsync.bench;

import io.sealsync.testsupport.AppServer;
import io.sealsync.testsupport.Http;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The application server the benchmark measures: OpenLiberty as the bench profile prepared it, or
 * Payara Micro or WildFly from {@code server-config/} (as the tests run them), each with the same
 * WAR, the development overlay's settings, a 512 MiB heap and the rate limit out of the way.
 */
interface BenchServer extends AutoCloseable {
  void start() throws IOException, InterruptedException;

  /** Polls until the application answers ready: migrations applied and row sync bootstrapped. */
  void awaitReady(Http http, Duration timeout) throws InterruptedException;

  /** The server JVM's process id, once started. */
  long pid() throws IOException;

  /** The server and its heap, for the run's record. */
  String description();

  @Override
  void close() throws IOException, InterruptedException;

  static BenchServer of(BenchSettings settings, Path log) {
    if (settings.runtime().equals("liberty")) {
      return new LibertyServer(
          settings.wlpDir(), settings.serverName(), log, settings.serverOptions());
    }
    return new Other(settings);
  }

  /** Row sync is bootstrapped when {@code /syncx/health} answers 200. */
  static boolean rowSyncReady(Http http) {
    try {
      return http.send("GET", "/syncx/health", null, null).status() == 200;
    } catch (IllegalStateException notYet) {
      return false;
    }
  }

  /** Payara Micro or WildFly, through the tests' {@link AppServer}. */
  final class Other implements BenchServer {
    private final AppServer server;
    private final String runtime;

    Other(BenchSettings settings) {
      this.runtime = settings.runtime();
      AppServer.Kind kind = AppServer.Kind.of(runtime);
      Map<String, String> env = AppServer.developmentDefaults();
      env.put("SEALSYNC_DB_HOST", "localhost");
      env.put("SEALSYNC_DB_PORT", Integer.toString(settings.dbPort()));
      env.put("SEALSYNC_DB_NAME", "postgres");
      env.put("SEALSYNC_DB_USER", "postgres");
      env.put("SEALSYNC_DB_PASSWORD", "postgres");
      // WildFly's script takes server properties only; its heap is standalone.conf's 512 MiB.
      List<String> options = new java.util.ArrayList<>();
      if (kind != AppServer.Kind.WILDFLY) {
        options.add("-Xmx512m");
      }
      options.addAll(List.of(LibertyServer.RATE_LIMIT_OPTIONS));
      options.addAll(settings.serverOptions());
      this.server =
          AppServer.of(
              new AppServer.Settings(
                  kind,
                  Path.of(
                          System.getProperty(
                              kind == AppServer.Kind.PAYARA
                                  ? "bench.payara.jar"
                                  : "bench.wildfly.home"))
                      .toAbsolutePath(),
                  Path.of("server-config", runtime).toAbsolutePath(),
                  settings.outDir().resolve(runtime),
                  Path.of(System.getProperty("bench.war", "target/sealsync.war")).toAbsolutePath(),
                  Path.of(System.getProperty("bench.driver", "target/servers/postgresql.jar"))
                      .toAbsolutePath(),
                  settings.httpPort(),
                  env,
                  options));
    }

    @Override
    public void start() throws IOException, InterruptedException {
      server.start(false);
    }

    @Override
    public void awaitReady(Http http, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      server.awaitReady(timeout);
      while (!rowSyncReady(http)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(runtime + ": /syncx/health not 200 after " + timeout);
        }
        Thread.sleep(500);
      }
    }

    @Override
    public long pid() {
      return server.jvmPid();
    }

    @Override
    public String description() {
      return (runtime.equals("payara") ? "Payara Micro" : "WildFly")
          + ", -Xmx512m (server-config/"
          + runtime
          + ")";
    }

    @Override
    public void close() {
      server.stop();
    }
  }
}
