package io.sealsync.testsupport;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A highly available PostgreSQL of a fault test's own: one etcd and two Patroni nodes, {@code pg1}
 * and {@code pg2}, a leader and a synchronous standby, with durable settings ({@code fsync} and
 * {@code synchronous_commit} on). A test that must survive "the primary dies" cannot use {@link
 * CrashablePostgres}: there the same database comes back; here another one takes over, with every
 * acknowledged commit, since the standby is synchronous.
 *
 * <p>Patroni manages PostgreSQL from outside: it starts the postmaster detached (the postmaster is
 * not Patroni's child), restarts it when it dies, and holds the leader key in etcd for as long as
 * it runs. So {@link #killPostgres} alone is a crash that Patroni repairs on the same node by
 * starting PostgreSQL again (crash recovery, no failover), and {@link #killPatroni} alone leaves
 * PostgreSQL running without a manager. A failover test kills both of the leader ({@link
 * #killNode}): that is what "the primary dies" means. The other node takes the leader key once it
 * expires ({@code ttl} 10 s, {@code loop_wait} 2 s) and promotes its standby: measured here, the
 * new leader takes writes 10 to 12.5 s after the kill. A start takes about 10 s; a former leader
 * rejoins (pg_rewind) in about 5 s and is the synchronous standby again a few seconds later.
 *
 * <p>Patroni, etcd and PostgreSQL run as the {@code postgres} OS user (PostgreSQL refuses root),
 * through {@code runuser}, so the work directory and every directory above it must be accessible to
 * that user. All of them listen on 127.0.0.1 only, on {@code basePort} (etcd client), {@code
 * basePort+1} (etcd peer), {@code basePort+10} and {@code +11} (PostgreSQL of pg1, pg2) and {@code
 * basePort+20} and {@code +21} (their Patroni REST APIs).
 */
public final class PatroniCluster implements AutoCloseable {
  /** The Debian packages' binaries (patroni, etcd-server, postgresql-15). */
  static final Path PATRONI = Path.of("/usr/bin/patroni");

  static final Path ETCD = Path.of("/usr/bin/etcd");
  static final Path PG_BIN = Path.of("/usr/lib/postgresql/15/bin");
  static final Path RUNUSER = Path.of("/usr/sbin/runuser");
  static final String OS_USER = "postgres";
  public static final String SCOPE = "sealsync-it";
  public static final String USER = "postgres";
  public static final String PASSWORD = "postgres";
  static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Path workDir;
  private final int basePort;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private Process etcd;

  /** The node whose REST API answered last: asked first, since a paused one only times out. */
  private volatile String lastAnswered = "pg1";

  private static final class Node {
    final String name;
    final int pgPort;
    final int restPort;
    final Path dir;
    Process runuser;

    Node(String name, int pgPort, int restPort, Path dir) {
      this.name = name;
      this.pgPort = pgPort;
      this.restPort = restPort;
      this.dir = dir;
    }

    Path dataDir() {
      return dir.resolve("data");
    }

    Path config() {
      return dir.resolve("patroni.yml");
    }

    Path log() {
      return dir.resolve("patroni.log");
    }
  }

  private PatroniCluster(Path workDir, int basePort) {
    this.workDir = workDir;
    this.basePort = basePort;
    nodes.put("pg1", new Node("pg1", basePort + 10, basePort + 20, workDir.resolve("pg1")));
    nodes.put("pg2", new Node("pg2", basePort + 11, basePort + 21, workDir.resolve("pg2")));
  }

  /** Whether this machine has what the cluster needs (tests assume it, see {@link #missing}). */
  public static boolean installed() {
    return missing().isEmpty();
  }

  /** What is missing, for a JUnit assumption's message; empty when {@link #installed}. */
  public static String missing() {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(PATRONI)) {
      missing.add(PATRONI + " (Debian: apt-get install patroni)");
    }
    if (!Files.isExecutable(ETCD)) {
      missing.add(ETCD + " (Debian: apt-get install etcd-server)");
    }
    if (!Files.isExecutable(PG_BIN.resolve("postgres"))) {
      missing.add(PG_BIN.resolve("postgres") + " (Debian: apt-get install postgresql-15)");
    }
    if (!Files.isExecutable(RUNUSER)) {
      missing.add(RUNUSER + " (util-linux)");
    }
    return missing.isEmpty() ? "" : "not installed: " + String.join(", ", missing);
  }

  /**
   * A fresh cluster in {@code workDir} (deleted first): etcd, then pg1, which bootstraps and
   * becomes the leader, then pg2, cloned from it with pg_basebackup. Returns once pg2 streams as
   * the synchronous standby, or fails after 120 s with the processes' log tails.
   */
  public static PatroniCluster start(Path workDir, int basePort)
      throws IOException, InterruptedException {
    if (!installed()) {
      throw new IllegalStateException(missing());
    }
    PatroniCluster cluster = new PatroniCluster(workDir.toAbsolutePath(), basePort);
    try {
      cluster.startAll();
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  private void startAll() throws IOException, InterruptedException {
    for (int port :
        List.of(
            basePort, basePort + 1, basePort + 10, basePort + 11, basePort + 20, basePort + 21)) {
      requireFree(port);
    }
    deleteTree(workDir);
    Files.createDirectories(workDir.resolve("etcd"));
    for (Node n : nodes.values()) {
      Files.createDirectories(n.dir);
      Files.writeString(n.config(), patroniConfig(n));
    }
    chownToPostgres(workDir);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    startEtcd(deadline);
    // pg1 alone first, so that it bootstraps and leads: a test knows the first leader.
    startPatroni(nodes.get("pg1"));
    while (!isWritableLeader("pg1")) {
      checkAlive();
      if (System.nanoTime() > deadline) {
        throw failure("pg1 did not become the leader within " + START_TIMEOUT);
      }
      Thread.sleep(250);
    }
    startPatroni(nodes.get("pg2"));
    awaitSyncStandby("pg2", remaining(deadline));
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  private static void requireFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      s.setReuseAddress(true);
    } catch (IOException e) {
      throw new IllegalStateException(
          "port " + port + " is in use (processes of an earlier run still alive?)", e);
    }
  }

  private void startEtcd(long deadline) throws IOException, InterruptedException {
    String client = "http://127.0.0.1:" + basePort;
    String peer = "http://127.0.0.1:" + (basePort + 1);
    etcd =
        asPostgres(
            workDir.resolve("etcd.log"),
            ETCD.toString(),
            "--name=etcd1",
            "--data-dir=" + workDir.resolve("etcd/data"),
            "--listen-client-urls=" + client,
            "--advertise-client-urls=" + client,
            "--listen-peer-urls=" + peer,
            "--initial-advertise-peer-urls=" + peer,
            "--initial-cluster=etcd1=" + peer,
            "--initial-cluster-state=new",
            "--initial-cluster-token=" + SCOPE,
            "--enable-v2=true");
    while (System.nanoTime() < deadline) {
      if (!etcd.isAlive()) {
        throw failure("etcd ended with exit code " + etcd.exitValue());
      }
      if (get(basePort, "/health").map(b -> b.contains("\"true\"")).orElse(false)) {
        return;
      }
      Thread.sleep(200);
    }
    throw failure("etcd not healthy");
  }

  /**
   * Patroni's configuration. Parameters that must be equal on every node (max_connections,
   * wal_log_hints, ...) belong to the DCS section, since Patroni ignores them locally.
   * wal_log_hints is what pg_rewind needs to turn a failed leader into a replica of the new one.
   */
  private String patroniConfig(Node n) {
    return String.join(
        "\n",
        "scope: " + SCOPE,
        "name: " + n.name,
        "log:",
        "  level: INFO",
        "restapi:",
        "  listen: 127.0.0.1:" + n.restPort,
        "  connect_address: 127.0.0.1:" + n.restPort,
        // etcd's v2 API: Patroni 3.0.2 renews the leader key there by compare-and-swap on its
        // value; its etcd3 client rewrites the key unconditionally after its lease expired, so a
        // leader resumed from a freeze took the lock back (patroni/patroni#2689, fixed in 3.0.3).
        "etcd:",
        "  host: 127.0.0.1:" + basePort,
        "bootstrap:",
        "  dcs:",
        "    ttl: 10",
        "    loop_wait: 2",
        "    retry_timeout: 5",
        "    maximum_lag_on_failover: 1048576",
        "    synchronous_mode: true",
        "    synchronous_mode_strict: true",
        "    postgresql:",
        "      use_pg_rewind: true",
        "      use_slots: true",
        "      parameters:",
        "        max_connections: 200",
        "        wal_level: replica",
        "        wal_log_hints: 'on'",
        "        hot_standby: 'on'",
        "        max_wal_senders: 10",
        "        max_replication_slots: 10",
        "        wal_keep_size: 256MB",
        "        fsync: 'on'",
        "        synchronous_commit: 'on'",
        "  initdb:",
        "    - encoding: UTF8",
        "    - locale: C.UTF-8",
        "postgresql:",
        "  listen: 127.0.0.1:" + n.pgPort,
        "  connect_address: 127.0.0.1:" + n.pgPort,
        "  data_dir: " + quote(n.dataDir()),
        "  bin_dir: " + quote(PG_BIN),
        "  pgpass: " + quote(n.dir.resolve("pgpass")),
        "  authentication:",
        "    superuser:",
        "      username: " + USER,
        "      password: " + PASSWORD,
        "    replication:",
        "      username: replicator",
        "      password: replicator",
        "  parameters:",
        "    unix_socket_directories: " + quote(n.dir),
        "  pg_hba:",
        "    - local all all trust",
        "    - local replication all trust",
        "    - host all all 127.0.0.1/32 md5",
        "    - host replication all 127.0.0.1/32 md5",
        "");
  }

  private static String quote(Path p) {
    return "'" + p.toString().replace("'", "''") + "'";
  }

  private void startPatroni(Node n) throws IOException {
    n.runuser = asPostgres(n.log(), PATRONI.toString(), n.config().toString());
  }

  /**
   * Runs a command as the postgres OS user, output appended to {@code log}, with a clean
   * environment: a UTF-8 locale (initdb takes it) and none of the caller's PATRONI_* variables,
   * which would override the configuration file.
   */
  private Process asPostgres(Path log, String... command) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(RUNUSER.toString(), "-u", OS_USER, "--"));
    cmd.addAll(List.of(command));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("LANG", "C.UTF-8");
    env.put("LC_ALL", "C.UTF-8");
    env.put("HOME", workDir.toString());
    env.put("PYTHONUNBUFFERED", "1");
    return pb.start();
  }

  /**
   * The process that runuser started: runuser forks and waits, so a signal to it would not reach
   * the service itself (SIGKILL cannot be forwarded).
   */
  private static Optional<ProcessHandle> service(Process runuser) {
    if (runuser == null) {
      return Optional.empty();
    }
    for (int i = 0; i < 50; i++) {
      Optional<ProcessHandle> child = runuser.toHandle().children().findFirst();
      if (child.isPresent() || !runuser.isAlive()) {
        return child;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return Optional.empty();
  }

  private void checkAlive() {
    if (etcd != null && !etcd.isAlive()) {
      throw failure("etcd ended with exit code " + etcd.exitValue());
    }
    for (Node n : nodes.values()) {
      if (n.runuser != null && !n.runuser.isAlive()) {
        throw failure("Patroni of " + n.name + " ended with exit code " + n.runuser.exitValue());
      }
    }
  }

  private IllegalStateException failure(String what) {
    StringBuilder s = new StringBuilder("Patroni cluster in " + workDir + ": " + what);
    s.append("\n--- etcd.log\n").append(tail(workDir.resolve("etcd.log"), 20));
    for (Node n : nodes.values()) {
      s.append("\n--- ").append(n.name).append("/patroni.log\n").append(tail(n.log(), 40));
    }
    return new IllegalStateException(s.toString());
  }

  /** The last lines of a log, for a failure's message. */
  public static String tail(Path log, int lines) {
    try {
      if (!Files.exists(log)) {
        return "(no " + log.getFileName() + ")";
      }
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  public Path workDir() {
    return workDir;
  }

  public List<String> nodes() {
    return List.copyOf(nodes.keySet());
  }

  private Node node(String name) {
    Node n = nodes.get(name);
    if (n == null) {
      throw new IllegalArgumentException("no node " + name + " (there are " + nodes.keySet() + ")");
    }
    return n;
  }

  /**
   * Both nodes, for pgjdbc's {@code targetServerType=primary}: it connects to the first node that
   * is not in recovery, which is the leader unless a test orphaned an old primary ({@link
   * #killPatroni}). A hung node ({@link #pause}) costs each connection attempt pgjdbc's {@code
   * socketTimeout} (it bounds the startup handshake too) until pgjdbc skips the node for {@code
   * hostRecheckSeconds} (10 s); a {@code loginTimeout} below that covers the whole multi-host
   * attempt and fails it before the second host is tried.
   */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + hosts() + "/postgres?targetServerType=primary";
  }

  /** {@code 127.0.0.1:<pg1>,127.0.0.1:<pg2>}, for a multi-host URL of one's own. */
  public String hosts() {
    return nodes.values().stream()
        .map(n -> "127.0.0.1:" + n.pgPort)
        .reduce((a, b) -> a + "," + b)
        .orElseThrow();
  }

  /** The PostgreSQL port of a node. */
  public int port(String node) {
    return node(node).pgPort;
  }

  /** The port of a node's Patroni REST API. */
  public int restPort(String node) {
    return node(node).restPort;
  }

  /** A node's Patroni log (PostgreSQL's own output goes there too). */
  public Path log(String node) {
    return node(node).log();
  }

  // ---- Patroni's REST API ----

  private Optional<String> get(int port, String path) {
    try {
      HttpResponse<String> r = send(port, path);
      return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private HttpResponse<String> send(int port, String path) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(2))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * The cluster as the DCS has it ({@code GET /cluster}), from the first node whose REST API
   * answers: a dead or paused node's cannot.
   */
  private Optional<JsonObject> cluster() {
    List<Node> order = new ArrayList<>(nodes.values());
    order.sort(Comparator.comparing(n -> n.name.equals(lastAnswered) ? 0 : 1));
    for (Node n : order) {
      Optional<String> body = get(n.restPort, "/cluster");
      if (body.isPresent()) {
        lastAnswered = n.name;
        try (JsonReader r = Json.createReader(new StringReader(body.get()))) {
          return Optional.of(r.readObject());
        } catch (RuntimeException e) {
          // Half a body from a node going down: ask the next.
        }
      }
    }
    return Optional.empty();
  }

  /** A member's role per {@code GET /cluster}: leader, sync_standby or replica; null if unknown. */
  public String role(String node) {
    node(node);
    return cluster()
        .flatMap(
            c ->
                c.getJsonArray("members").getValuesAs(JsonObject.class).stream()
                    .filter(m -> node.equals(m.getString("name", null)))
                    .map(m -> m.getString("role", null))
                    .findFirst())
        .orElse(null);
  }

  /**
   * The holder of the leader key per Patroni's REST API, or null when there is none (or no REST API
   * answers). Right after the leader dies the key outlives it until its ttl runs out: this is still
   * the dead node then.
   */
  public String leader() {
    return cluster()
        .flatMap(
            c ->
                c.getJsonArray("members").getValuesAs(JsonObject.class).stream()
                    .filter(m -> "leader".equals(m.getString("role", null)))
                    .map(m -> m.getString("name", null))
                    .findFirst())
        .orElse(null);
  }

  /**
   * Whether the node's Patroni runs PostgreSQL as the primary and holds the leader key ({@code GET
   * /primary} answers 200): then it takes writes.
   */
  public boolean isWritableLeader(String node) {
    try {
      return send(node(node).restPort, "/primary").statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** Waits for a leader that takes writes; returns its name, or null after {@code timeout}. */
  public String awaitLeader(Duration timeout) throws InterruptedException {
    return awaitLeaderOtherThan(null, timeout);
  }

  /**
   * Waits until a node other than {@code old} holds the leader key and runs as the primary (has
   * been promoted: it takes writes). Returns its name, or null after {@code timeout}.
   */
  public String awaitNewLeader(String old, Duration timeout) throws InterruptedException {
    return awaitLeaderOtherThan(old, timeout);
  }

  private String awaitLeaderOtherThan(String old, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String leader = leader();
      if (leader != null && !leader.equals(old) && isWritableLeader(leader)) {
        return leader;
      }
      if (System.nanoTime() >= deadline) {
        return null;
      }
      Thread.sleep(100);
    }
  }

  // ---- PostgreSQL ----

  /** A connection to one node (not through the multi-host URL), failing within seconds. */
  public Connection connect(String node) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", USER);
    p.setProperty("password", PASSWORD);
    p.setProperty("connectTimeout", "3");
    p.setProperty("loginTimeout", "5");
    p.setProperty("socketTimeout", "10");
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port(node) + "/postgres", p);
  }

  /**
   * {@code pg_is_in_recovery()} of the node's PostgreSQL: true for a standby, false for a primary.
   *
   * @throws SQLException when the node's PostgreSQL cannot be reached (down, starting, paused: the
   *     connection times out within seconds), so that "unreachable" is never taken for "primary"
   */
  public boolean isInRecovery(String node) throws SQLException {
    try (Connection c = connect(node);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  /**
   * How the leader sees the standby in {@code pg_stat_replication}: "state sync_state", e.g.
   * "streaming sync", or a description of why not.
   */
  public String syncStandbyState(String leader, String standby) {
    try (Connection c = connect(leader);
        PreparedStatement s =
            c.prepareStatement(
                "SELECT state, sync_state FROM pg_stat_replication WHERE application_name = ?")) {
      s.setString(1, standby);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) + " " + rs.getString(2) : "not connected";
      }
    } catch (SQLException e) {
      return "leader unreachable: " + e.getMessage();
    }
  }

  /**
   * Waits until the node is a replica (in recovery) that streams from the current leader. Returns
   * the leader's view ("streaming sync" or "streaming async"); fails after {@code timeout}.
   */
  public String awaitStreamingReplica(String node, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        String leader = leader();
        if (leader != null && !leader.equals(node) && isInRecovery(node)) {
          last = syncStandbyState(leader, node);
          if (last.startsWith("streaming ")) {
            return last.substring("streaming ".length());
          }
        } else {
          last = "leader " + leader + ", " + node + " not in recovery";
        }
      } catch (SQLException e) {
        last = node + " unreachable: " + e.getMessage();
      }
      Thread.sleep(250);
    }
    throw failure(node + " is no streaming replica after " + timeout + " (" + last + ")");
  }

  /**
   * Waits until the node is the synchronous standby again: Patroni lists it as {@code sync_standby}
   * and the leader's {@code pg_stat_replication} has it streaming with {@code sync_state} sync, so
   * that every commit acknowledged from now on is on both nodes. A rejoined node streams
   * asynchronously first; the leader makes it synchronous a loop or two later.
   */
  public void awaitSyncStandby(String node, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      checkAlive();
      String leader = leader();
      if (leader != null && !leader.equals(node)) {
        last = "leader " + leader + ": " + node + " " + syncStandbyState(leader, node);
        if (last.endsWith(" streaming sync") && "sync_standby".equals(role(node))) {
          return;
        }
      } else {
        last = "leader " + leader;
      }
      Thread.sleep(250);
    }
    throw failure(
        node + " is no streaming synchronous standby after " + timeout + " (" + last + ")");
  }

  /** The demo business schema, on the leader (it reaches the standby by replication). */
  public void createDemoSchema() throws InterruptedException {
    String leader = awaitLeader(Duration.ofSeconds(30));
    if (leader == null) {
      throw failure("no leader for the demo schema");
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"127.0.0.1"});
    ds.setPortNumbers(new int[] {port(leader)});
    ds.setDatabaseName("postgres");
    ds.setUser(USER);
    ds.setPassword(PASSWORD);
    DemoSchema.create(ds);
  }

  // ---- faults ----

  /** The postmaster's process id, from the first line of {@code postmaster.pid}. */
  public long postmasterPid(String node) throws IOException {
    return Long.parseLong(
        Files.readAllLines(node(node).dataDir().resolve("postmaster.pid")).get(0).trim());
  }

  /** The postmaster and its children (backends, walsender, ...), if it runs. */
  private List<ProcessHandle> postgresProcesses(String node) {
    long pid;
    try {
      pid = postmasterPid(node);
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    Optional<ProcessHandle> postmaster =
        ProcessHandle.of(pid)
            .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(true));
    if (postmaster.isEmpty()) {
      return List.of();
    }
    List<ProcessHandle> all = new ArrayList<>(postmaster.get().descendants().toList());
    all.add(0, postmaster.get());
    return all;
  }

  /** The node's Patroni process, if it runs. */
  private Optional<ProcessHandle> patroniProcess(String node) {
    return service(node(node).runuser).filter(ProcessHandle::isAlive);
  }

  /**
   * SIGKILL of the node's postmaster and all its children at once, as {@link
   * CrashablePostgres#crash} does. The node's Patroni lives on and starts PostgreSQL again on the
   * same node (crash recovery): a leader stays leader, no failover, and takes writes again about 3
   * s later, on a new timeline (Patroni starts it as a standby, then promotes it). Returns the
   * postmaster's pid.
   */
  public long killPostgres(String node) throws IOException {
    long pid = postmasterPid(node);
    List<ProcessHandle> all = postgresProcesses(node);
    if (all.isEmpty()) {
      throw new IllegalStateException("no postmaster of " + node + " with pid " + pid);
    }
    killAll(all);
    return pid;
  }

  /**
   * SIGKILL of the node's Patroni alone: PostgreSQL runs on, unmanaged, and the node's leader key,
   * if it has it, expires after ttl. A leader's PostgreSQL is then an orphaned second primary:
   * pgjdbc's {@code targetServerType=primary} may still pick it, and its commits hang, since its
   * synchronous standby left to follow the new leader (statement_timeout does not end that wait;
   * only the client's socketTimeout does). Those commits were never acknowledged, and {@link
   * #restartPatroni} rewinds them away. A failover test kills both instead, see {@link #killNode}.
   */
  public void killPatroni(String node) {
    killAll(patroniProcess(node).stream().toList());
    forget(node);
  }

  /** A deliberately killed Patroni is no failure for the waits, which check that Patroni runs. */
  private void forget(String node) {
    Node n = node(node);
    if (n.runuser != null) {
      try {
        n.runuser.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      n.runuser.destroyForcibly();
      n.runuser = null;
    }
  }

  /**
   * "The node dies": SIGKILL of its Patroni, its postmaster and every backend, all at once (Patroni
   * first, so that it cannot restart PostgreSQL). For the leader, the other node takes over once
   * the leader key expires.
   */
  public void killNode(String node) {
    List<ProcessHandle> all = new ArrayList<>(patroniProcess(node).stream().toList());
    all.addAll(postgresProcesses(node));
    killAll(all);
    forget(node);
  }

  private static void killAll(List<ProcessHandle> all) {
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("process " + p.pid() + " survived SIGKILL", e);
      }
    }
  }

  /**
   * SIGSTOP of the node's Patroni, its postmaster and its children: the node hangs without dying,
   * as under a long GC-like stall or a frozen VM. Its ports still accept TCP connections (the
   * kernel completes the handshake) but nothing answers, so clients need timeouts (pgjdbc's
   * connectTimeout covers only the TCP connect; loginTimeout and socketTimeout the rest). A paused
   * leader loses its key after ttl and the other node takes over; on {@link #resume} Patroni
   * notices and demotes it.
   */
  public void pause(String node) throws IOException, InterruptedException {
    List<ProcessHandle> all = new ArrayList<>(patroniProcess(node).stream().toList());
    all.addAll(postgresProcesses(node));
    signal("STOP", all);
  }

  /** SIGCONT of what {@link #pause} stopped. */
  public void resume(String node) throws IOException, InterruptedException {
    List<ProcessHandle> all = new ArrayList<>(postgresProcesses(node));
    all.addAll(patroniProcess(node).stream().toList());
    signal("CONT", all);
  }

  private static void signal(String signal, List<ProcessHandle> processes)
      throws IOException, InterruptedException {
    if (processes.isEmpty()) {
      return;
    }
    List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
    processes.forEach(p -> cmd.add(String.valueOf(p.pid())));
    Process kill = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + signal + " failed: " + out);
    }
  }

  /**
   * Starts the node's Patroni again after {@link #killPatroni} or {@link #killNode}. A former
   * leader rejoins as a replica of the new one: Patroni finishes crash recovery in single-user
   * mode, then rewinds the diverged data directory with pg_rewind ({@code use_pg_rewind}, made
   * possible by {@code wal_log_hints}). Use {@link #awaitStreamingReplica} to wait for it.
   */
  public void restartPatroni(String node) throws IOException {
    Node n = node(node);
    if (patroniProcess(node).isPresent()) {
      throw new IllegalStateException("Patroni of " + node + " still runs");
    }
    startPatroni(n);
  }

  /**
   * Stops everything and never throws: SIGCONT for whatever a test paused, SIGTERM to both Patronis
   * (each stops its PostgreSQL) and to etcd, then SIGKILL of whatever still runs after a few
   * seconds, orphaned postmasters included.
   */
  @Override
  public void close() {
    List<ProcessHandle> patronis = new ArrayList<>();
    List<ProcessHandle> postgres = new ArrayList<>();
    for (String n : nodes.keySet()) {
      patroniProcess(n).ifPresent(patronis::add);
      postgres.addAll(postgresProcesses(n));
    }
    List<ProcessHandle> all = new ArrayList<>(patronis);
    all.addAll(postgres);
    quietly("CONT", all);
    patronis.forEach(ProcessHandle::destroy);
    awaitExit(patronis, Duration.ofSeconds(10));
    // Postmasters that no Patroni stopped (orphaned by killPatroni): a fast shutdown (SIGINT;
    // SIGTERM would wait for the clients to leave).
    List<ProcessHandle> postmasters = new ArrayList<>();
    for (String n : nodes.keySet()) {
      postgresProcesses(n).stream().findFirst().ifPresent(postmasters::add);
    }
    quietly("INT", postmasters);
    awaitExit(postmasters, Duration.ofSeconds(5));
    for (String n : nodes.keySet()) {
      all.addAll(postgresProcesses(n));
    }
    all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    awaitExit(all, Duration.ofSeconds(5));
    if (etcd != null) {
      List<ProcessHandle> etcdProcess = service(etcd).stream().toList();
      etcdProcess.forEach(ProcessHandle::destroy);
      awaitExit(etcdProcess, Duration.ofSeconds(5));
      etcdProcess.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
      etcd.destroyForcibly();
    }
    for (Node n : nodes.values()) {
      if (n.runuser != null) {
        n.runuser.destroyForcibly();
      }
    }
  }

  private static void quietly(String signal, List<ProcessHandle> processes) {
    try {
      signal(signal, processes.stream().filter(ProcessHandle::isAlive).toList());
    } catch (IOException | RuntimeException e) {
      // Best effort: a process may just have ended.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitExit(List<ProcessHandle> processes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ProcessHandle p : processes) {
      try {
        p.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException e) {
        // The caller kills what is left.
      }
    }
  }

  // ---- files ----

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Hands a directory tree to the postgres OS user, who runs every process of the cluster. */
  static void chownToPostgres(Path dir) throws IOException {
    UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
    UserPrincipal user = lookup.lookupPrincipalByName(OS_USER);
    GroupPrincipal group = lookup.lookupPrincipalByGroupName(OS_USER);
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.toList()) {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
        view.setOwner(user);
        view.setGroup(group);
      }
    }
  }

  @Override
  public String toString() {
    return "PatroniCluster[" + workDir + ", " + hosts() + "]";
  }

  /** For reports: the members as Patroni's REST API lists them. */
  public String describe() {
    return cluster().map(c -> c.getJsonArray("members").toString()).orElse("(no REST API answers)");
  }
}
