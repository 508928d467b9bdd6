package io.sealsync.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A PgBouncer of a test's own in front of one PostgreSQL, as deployments put one between the
 * application servers and the database. In transaction mode a server connection serves one
 * transaction of one client at a time, so session state (prepared statements, {@code SET}, advisory
 * locks, {@code LISTEN}) does not outlive a transaction: pgjdbc needs {@code prepareThreshold=0}
 * there, since PgBouncer 1.18 does not track protocol-level prepared statements.
 *
 * <p>It runs as the {@code postgres} OS user (through {@code runuser}; PgBouncer refuses root),
 * listens on 127.0.0.1 only, and authenticates clients with md5 against an auth file holding
 * postgres/postgres, whose plain password also lets it log in to a server with SCRAM.
 */
public final class PgBouncer implements AutoCloseable {
  static final Path PGBOUNCER = Path.of("/usr/sbin/pgbouncer");

  private final Path workDir;
  private final int port;
  private final Process runuser;

  private PgBouncer(Path workDir, int port, Process runuser) {
    this.workDir = workDir;
    this.port = port;
    this.runuser = runuser;
  }

  /** Whether the Debian package's pgbouncer (and runuser) are there. */
  public static boolean installed() {
    return Files.isExecutable(PGBOUNCER) && Files.isExecutable(PatroniCluster.RUNUSER);
  }

  /**
   * Starts a PgBouncer in {@code workDir} (deleted first) whose database {@code postgres} is {@code
   * dbHost:dbPort/postgres}, and waits until it accepts TCP connections.
   *
   * @param poolMode {@code session}, {@code transaction} or {@code statement}
   */
  public static PgBouncer start(
      Path workDir, int listenPort, String dbHost, int dbPort, String poolMode)
      throws IOException, InterruptedException {
    if (!installed()) {
      throw new IllegalStateException(
          "not installed: " + PGBOUNCER + " (apt-get install pgbouncer)");
    }
    Path dir = workDir.toAbsolutePath();
    PatroniCluster.deleteTree(dir);
    Files.createDirectories(dir);
    Path ini = dir.resolve("pgbouncer.ini");
    Files.writeString(dir.resolve("userlist.txt"), "\"postgres\" \"postgres\"\n");
    Files.writeString(
        ini,
        String.join(
            "\n",
            "[databases]",
            "postgres = host=" + dbHost + " port=" + dbPort + " dbname=postgres",
            "",
            "[pgbouncer]",
            "listen_addr = 127.0.0.1",
            "listen_port = " + listenPort,
            "unix_socket_dir = " + dir,
            "auth_type = md5",
            "auth_file = " + dir.resolve("userlist.txt"),
            "admin_users = postgres",
            "pool_mode = " + poolMode,
            "max_client_conn = 500",
            "default_pool_size = 20",
            // pgjdbc sends extra_float_digits (and options with currentSchema) at startup.
            "ignore_startup_parameters = extra_float_digits,options",
            "logfile = " + dir.resolve("pgbouncer.log"),
            "pidfile = " + dir.resolve("pgbouncer.pid"),
            ""));
    PatroniCluster.chownToPostgres(dir);
    ProcessBuilder pb =
        new ProcessBuilder(
                PatroniCluster.RUNUSER.toString(),
                "-u",
                PatroniCluster.OS_USER,
                "--",
                PGBOUNCER.toString(),
                ini.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(dir.resolve("pgbouncer.out").toFile()));
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("LANG", "C.UTF-8");
    PgBouncer bouncer = new PgBouncer(dir, listenPort, pb.start());
    try {
      bouncer.awaitListening(Duration.ofSeconds(30));
      return bouncer;
    } catch (RuntimeException | InterruptedException e) {
      bouncer.close();
      throw e;
    }
  }

  private void awaitListening(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!runuser.isAlive()) {
        throw new IllegalStateException(
            "pgbouncer ended with exit code " + runuser.exitValue() + ":\n" + logTail());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("pgbouncer not listening after " + timeout + ":\n" + logTail());
  }

  public int port() {
    return port;
  }

  /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres?prepareThreshold=0}. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?prepareThreshold=0";
  }

  public String logTail() {
    return PatroniCluster.tail(workDir.resolve("pgbouncer.out"), 30);
  }

  /** SIGTERM (PgBouncer closes every connection at once), SIGKILL if it lingers; never throws. */
  @Override
  public void close() {
    Optional<ProcessHandle> bouncer = runuser.toHandle().children().findFirst();
    bouncer.ifPresent(ProcessHandle::destroy);
    try {
      if (bouncer.isPresent()) {
        bouncer.get().onExit().get(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Killed below.
    }
    bouncer.filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
    runuser.destroyForcibly();
  }
}
