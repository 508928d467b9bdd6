package io.sealsync.testsupport;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;

/**
 * A manual check of {@link PatroniCluster} and {@link PgBouncer} on this machine, outside the test
 * suite (run it with the test classpath): a cluster starts, takes a write through the multi-host
 * URL, loses its leader (Patroni and PostgreSQL SIGKILLed), fails over, still has the write, takes
 * back the old leader as a replica (pg_rewind), and serves a query through PgBouncer in transaction
 * mode. It prints the timings, above all how long the failover took.
 *
 * <p>Arguments (optional): the work directory (default {@code <java.io.tmpdir>/patroni-check}) and
 * the base port (default 21000; PgBouncer listens on base + 100).
 */
public final class PatroniClusterCheck {
  private PatroniClusterCheck() {}

  public static void main(String[] args) throws Exception {
    Path dir =
        args.length > 0
            ? Path.of(args[0])
            : Path.of(System.getProperty("java.io.tmpdir"), "patroni-check");
    int base = args.length > 1 ? Integer.parseInt(args[1]) : 21000;
    if (!PatroniCluster.installed()) {
      System.out.println("skipped: " + PatroniCluster.missing());
      return;
    }
    long t = System.nanoTime();
    try (PatroniCluster cluster = PatroniCluster.start(dir, base)) {
      System.out.printf("cluster up in %d ms: %s%n", millis(t), cluster.describe());
      String leader = cluster.leader();
      System.out.println("leader: " + leader + " (port " + cluster.port(leader) + ")");
      cluster.createDemoSchema();

      String id = UUID.randomUUID().toString();
      try (Connection c = connect(cluster.jdbcUrl())) {
        System.out.println("jdbcUrl " + cluster.jdbcUrl() + " reached port " + serverPort(c));
        insert(c, id, "before failover");
      }
      System.out.println("wrote team " + id + " (acknowledged after the sync standby had it)");

      t = System.nanoTime();
      cluster.killNode(leader);
      System.out.println("SIGKILL of " + leader + "'s Patroni and PostgreSQL");
      String newLeader = cluster.awaitNewLeader(leader, Duration.ofSeconds(90));
      if (newLeader == null) {
        throw new IllegalStateException("no new leader: " + cluster.describe());
      }
      long failover = millis(t);
      System.out.printf(
          "new leader %s after %d ms (promoted, takes writes)%n", newLeader, failover);

      // The multi-host URL: how long until a client finds the new primary and writes.
      String second = UUID.randomUUID().toString();
      String lastError = "";
      while (true) {
        try (Connection c = connect(cluster.jdbcUrl())) {
          if (!name(c, id).equals("before failover")) {
            throw new IllegalStateException("the acknowledged row is wrong: " + name(c, id));
          }
          insert(c, second, "after failover");
          System.out.printf(
              "jdbcUrl reached port %d after %d ms: team %s is there, wrote team %s%n",
              serverPort(c), millis(t), id, second);
          break;
        } catch (SQLException e) {
          lastError = e.getMessage();
          if (millis(t) > 120_000) {
            throw new IllegalStateException("jdbcUrl finds no primary: " + lastError, e);
          }
          Thread.sleep(200);
        }
      }
      System.out.println("cluster now: " + cluster.describe());

      t = System.nanoTime();
      cluster.restartPatroni(leader);
      String sync = cluster.awaitStreamingReplica(leader, Duration.ofSeconds(120));
      System.out.printf(
          "%s rejoined as a streaming replica (%s) in %d ms; in recovery: %b%n",
          leader, sync, millis(t), cluster.isInRecovery(leader));
      cluster.awaitSyncStandby(leader, Duration.ofSeconds(60));
      System.out.printf("%s is the synchronous standby again after %d ms%n", leader, millis(t));
      try (Connection c = cluster.connect(leader)) {
        awaitRow(c, second);
        System.out.println(
            leader + " (replica) has both teams: " + name(c, id) + ", " + name(c, second));
      }
      System.out.println("cluster now: " + cluster.describe());

      try (PgBouncer bouncer =
          PgBouncer.start(
              dir.resolve("pgbouncer"),
              base + 100,
              "127.0.0.1",
              cluster.port(newLeader),
              "transaction")) {
        try (Connection c = connect(bouncer.jdbcUrl())) {
          for (int i = 0; i < 10; i++) {
            // Repeated executions would switch pgjdbc to a named statement without
            // prepareThreshold=0, which transaction pooling would break.
            if (!name(c, id).equals("before failover")) {
              throw new IllegalStateException("wrong row through PgBouncer");
            }
          }
          c.setAutoCommit(false);
          insert(c, UUID.randomUUID().toString(), "through pgbouncer");
          c.commit();
          System.out.printf(
              "PgBouncer (transaction mode, port %d) -> PostgreSQL port %d: read 10 times, wrote"
                  + " one row%n",
              bouncer.port(), serverPort(c));
        }
      }
      t = System.nanoTime();
    }
    System.out.printf("closed in %d ms%n", millis(t));
  }

  private static long millis(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }

  private static Connection connect(String url) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", PatroniCluster.USER);
    p.setProperty("password", PatroniCluster.PASSWORD);
    p.setProperty("connectTimeout", "3");
    p.setProperty("loginTimeout", "5");
    p.setProperty("socketTimeout", "10");
    return DriverManager.getConnection(url, p);
  }

  private static int serverPort(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT inet_server_port()");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static void insert(Connection c, String id, String name) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO demo.teams (_sync_scope_id, id, name) VALUES ('patroni-check',"
                + " ?::uuid, ?)")) {
      s.setString(1, id);
      s.setString(2, name);
      s.executeUpdate();
    }
  }

  private static String name(Connection c, String id) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT name FROM demo.teams WHERE _sync_scope_id = 'patroni-check' AND id ="
                + " ?::uuid")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : "(missing)";
      }
    }
  }

  /** A replica replays asynchronously: wait briefly for a row. */
  private static void awaitRow(Connection c, String id) throws Exception {
    for (int i = 0; i < 100 && name(c, id).equals("(missing)"); i++) {
      Thread.sleep(100);
    }
  }
}
