package io.sealsync.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A PostgreSQL of a fault test's own, with the run command's durable settings ({@link
 * DevDatabase#durable}), that the test can crash (SIGKILL of the postmaster and its backends) and
 * start again on the same port and data directory, where crash recovery replays the WAL.
 */
public final class CrashablePostgres implements AutoCloseable {
  private final int port;
  private final Path dataDir;
  private EmbeddedPostgres postgres;

  public CrashablePostgres(int port, Path dataDir) {
    this.port = port;
    this.dataDir = dataDir.toAbsolutePath();
  }

  /** A fresh database (the data directory is emptied first) with the demo schema. */
  public static CrashablePostgres fresh(int port, String name) throws IOException, SQLException {
    Path dir = Path.of("target/faults", name);
    AppServer.deleteTree(dir);
    Files.createDirectories(dir);
    CrashablePostgres pg = new CrashablePostgres(port, dir);
    pg.start();
    DemoSchema.create(pg.postgres.getPostgresDatabase());
    // The run command's settings really hold: the embedded library's own default is fsync off.
    try (Connection c = pg.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW fsync")) {
      rs.next();
      if (!"on".equals(rs.getString(1))) {
        throw new IllegalStateException("fsync is " + rs.getString(1) + ", not on");
      }
    }
    return pg;
  }

  public int port() {
    return port;
  }

  /** Starts PostgreSQL on the data directory as it is (after a crash: with crash recovery). */
  public void start() throws IOException {
    postgres = DevDatabase.durable(port, dataDir).setServerConfig("max_connections", "300").start();
  }

  /** The postmaster's process id, from {@code postmaster.pid} in the data directory. */
  public long postmasterPid() throws IOException {
    return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
  }

  /**
   * Kills the postmaster and every backend with SIGKILL, all at once: nothing is flushed or shut
   * down, as when the database host loses power. Returns the postmaster's pid.
   */
  public long crash() throws IOException, InterruptedException {
    long pid = postmasterPid();
    ProcessHandle postmaster =
        ProcessHandle.of(pid)
            .orElseThrow(() -> new IllegalStateException("no postmaster with pid " + pid));
    List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
    all.add(0, postmaster);
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("PostgreSQL process " + p.pid() + " survived SIGKILL", e);
      }
    }
    release();
    return pid;
  }

  /** Forgets the killed instance (its pg_ctl stop fails: nothing is left to stop). */
  private void release() {
    try {
      postgres.close();
    } catch (IOException | RuntimeException expected) {
      // pg_ctl finds no server; the library still releases the data directory.
    }
    postgres = null;
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "postgres");
  }

  @Override
  public void close() throws IOException {
    if (postgres != null) {
      postgres.close();
      postgres = null;
    }
  }
}
