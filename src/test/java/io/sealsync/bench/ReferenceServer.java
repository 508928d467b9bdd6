package io.sealsync.bench;

import io.sealsync.testsupport.DemoSchema;
import io.sealsync.testsupport.Http;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The reference row-sync server of a side-by-side run (docs/benchmark.md): its own database in the
 * benchmark's PostgreSQL, with the demo schema (both servers keep their state in a schema named
 * {@code sync} and put capture triggers on the business tables, so they cannot share one), and,
 * when the run has its command, its process, started here and stopped on close.
 */
final class ReferenceServer implements AutoCloseable {
  static final String DATABASE = "sealsync_reference";

  private final DataSource db;
  private final Process process;
  private final Path log;

  private ReferenceServer(DataSource db, Process process, Path log) {
    this.db = db;
    this.process = process;
    this.log = log;
  }

  /**
   * Creates the reference's database with the demo schema and, if {@code reference} has a command,
   * starts it with {@code DATABASE_URL}, {@code JWT_SECRET} and {@code LISTEN} (host:port of its
   * URL) in its environment, its output appended to {@code log}. Without a command the reference is
   * expected to be started by hand against {@link #databaseUrl}; {@link #awaitReady} waits.
   */
  static ReferenceServer start(
      BenchSettings.Reference reference, EmbeddedPostgres pg, int dbPort, Path log)
      throws IOException, SQLException {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + DATABASE);
    }
    DataSource db = pg.getDatabase("postgres", DATABASE);
    DemoSchema.create(db);
    if (reference.command().isEmpty()) {
      return new ReferenceServer(db, null, log);
    }
    ProcessBuilder pb = new ProcessBuilder(reference.command());
    pb.environment().put("DATABASE_URL", databaseUrl(dbPort));
    pb.environment().put("JWT_SECRET", reference.jwtSecret());
    pb.environment().put("LISTEN", reference.url().getHost() + ":" + port(reference));
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new ReferenceServer(db, pb.start(), log);
  }

  /** The reference's database, as a libpq URL (the embedded PostgreSQL trusts local users). */
  static String databaseUrl(int dbPort) {
    return "postgres://postgres@localhost:" + dbPort + "/" + DATABASE + "?sslmode=disable";
  }

  private static int port(BenchSettings.Reference reference) {
    int port = reference.url().getPort();
    return port >= 0 ? port : reference.url().getDefaultPort();
  }

  /** Waits until the reference answers {@code GET /syncx/health} with 200. */
  void awaitReady(Http http, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (process != null && !process.isAlive()) {
        throw new IllegalStateException(
            "the reference server exited with " + process.exitValue() + "; see " + log);
      }
      try {
        Http.Reply health = http.send("GET", "/syncx/health", null, null);
        if (health.status() == 200) {
          return;
        }
        last = "/syncx/health " + health.status();
      } catch (IllegalStateException notYet) {
        last = String.valueOf(notYet.getCause());
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "reference server at "
            + http.base()
            + " not ready after "
            + timeout
            + " ("
            + last
            + "); see "
            + log);
  }

  /** ANALYZE of the reference's database, as the benchmark does for Sealsync's before a load. */
  void analyze() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("ANALYZE");
    }
  }

  /** The CPU of the started command and its children; unknown for a server started by hand. */
  ProcessCpu.Probe cpu() {
    return process == null ? ProcessCpu.Probe.NONE : ProcessCpu.tree(process.pid());
  }

  /** The started process's resident-set high-water mark (Linux), for the run's record. */
  Optional<String> rssHighWater() {
    if (process == null) {
      return Optional.empty();
    }
    try {
      List<String> status = Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"));
      return status.stream()
          .filter(l -> l.startsWith("VmHWM:"))
          .map(l -> l.substring("VmHWM:".length()).trim())
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process == null) {
      return;
    }
    // A command such as "go run" has the server as its child: stop the children too.
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }
}
