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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Payara Micro or WildFly in a process of its own, running the built WAR with the configuration in
 * {@code server-config/<server>/}, the way the README tells an operator to run it. The cross-server
 * integration tests start it through {@link AppServerContainer}; the run profiles through {@link
 * #main}.
 */
public abstract class AppServer {
  public static final String DEFAULT_ADMIN_USER = "admin";
  public static final String DEFAULT_ADMIN_PASSWORD = "sealsync-dev-admin";

  /**
   * A user without the role sealsync-admin, added to the test servers only (system property {@code
   * sealsync.test.viewer}; Liberty's from src/test/liberty): the operator API's 403 case.
   */
  public static final String VIEWER_USER = "viewer";

  public static final String VIEWER_PASSWORD = "sealsync-dev-viewer";

  static boolean withViewer() {
    return Boolean.getBoolean("sealsync.test.viewer");
  }

  /**
   * The development overlay the Liberty run and test servers read (configDropins/overrides), and
   * whose variables the other servers' run and test get as environment variables.
   */
  static final String OVERLAY_PROPERTY = "sealsync.dev.overlay";

  static final String DEFAULT_OVERLAY = "src/dev/liberty/configDropins/overrides/development.xml";

  /**
   * What the Liberty run and test servers get from the development overlay, for the other servers'
   * run and test, plus the demo tables: as environment variables, each unless the environment
   * already sets it. A token key of the environment replaces the development issuer and key.
   */
  public static Map<String, String> developmentDefaults() {
    Map<String, String> env = new HashMap<>();
    boolean keyGiven =
        Stream.of("SEALSYNC_JWT_SHARED_KEY", "SEALSYNC_JWT_PUBLIC_KEY", "SEALSYNC_JWT_JWKS_URI")
            .anyMatch(n -> System.getenv(n) != null && !System.getenv(n).isBlank());
    developmentOverlay()
        .forEach(
            (name, value) -> {
              String variable =
                  name.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
              boolean tokenSetting = variable.startsWith("SEALSYNC_JWT_");
              if (System.getenv(variable) == null && !(keyGiven && tokenSetting)) {
                env.put(variable, value);
              }
            });
    if (System.getenv("SEALSYNC_ROWSYNC_TABLES") == null) {
      env.put("SEALSYNC_ROWSYNC_TABLES", DemoSchema.REGISTERED_TABLES);
    }
    return env;
  }

  /** The variables of the development overlay, by name. */
  static Map<String, String> developmentOverlay() {
    Path file = Path.of(System.getProperty(OVERLAY_PROPERTY, DEFAULT_OVERLAY));
    try {
      org.w3c.dom.NodeList variables =
          javax.xml.parsers.DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(file.toFile())
              .getElementsByTagName("variable");
      Map<String, String> values = new java.util.LinkedHashMap<>();
      for (int i = 0; i < variables.getLength(); i++) {
        org.w3c.dom.Element v = (org.w3c.dom.Element) variables.item(i);
        values.put(v.getAttribute("name"), v.getAttribute("defaultValue"));
      }
      return values;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the development overlay " + file, e);
    }
  }

  /** The servers this class can run. */
  public enum Kind {
    PAYARA,
    WILDFLY;

    public static Kind of(String name) {
      return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    }
  }

  /**
   * Where the server comes from and where it runs.
   *
   * @param runtime the Payara Micro jar, or the unpacked WildFly installation
   * @param configDir {@code server-config/payara} or {@code server-config/wildfly}
   * @param workDir the instance's files and logs, recreated on every start
   * @param driver the PostgreSQL JDBC driver jar
   * @param httpPort the application's HTTP port (on WildFly this sets the port offset, which moves
   *     the management interface along)
   * @param environment variables for the server process on top of this process's own
   * @param jvmOptions {@code -D} options for the server
   */
  public record Settings(
      Kind kind,
      Path runtime,
      Path configDir,
      Path workDir,
      Path war,
      Path driver,
      int httpPort,
      Map<String, String> environment,
      List<String> jvmOptions) {}

  final Settings settings;
  private Process process;

  AppServer(Settings settings) {
    this.settings = settings;
  }

  public static AppServer of(Settings settings) {
    return switch (settings.kind()) {
      case PAYARA -> new PayaraMicro(settings);
      case WILDFLY -> new WildFly(settings);
    };
  }

  /** The application's base URI. */
  public URI baseUri() {
    return URI.create("http://localhost:" + settings.httpPort() + "/");
  }

  /** The base URI under which the server serves {@code /health}. */
  public abstract URI healthUri();

  /** The server's log, for the message of a failed start. */
  public abstract Path log();

  /** Writes the instance into the work directory. */
  abstract void prepare() throws IOException, InterruptedException;

  abstract List<String> command();

  /** Ports the server opens besides the HTTP port. */
  List<Integer> otherPorts() {
    return List.of();
  }

  /**
   * Prepares and starts the server; its output goes to this process's console when {@code
   * inheritIo}, else to {@code console.log} in the work directory.
   */
  public void start(boolean inheritIo) throws IOException, InterruptedException {
    List<Integer> ports = new ArrayList<>(List.of(settings.httpPort()));
    ports.addAll(otherPorts());
    for (int port : ports) {
      requireFree(port);
    }
    prepare();
    ProcessBuilder pb = new ProcessBuilder(command()).directory(settings.workDir().toFile());
    pb.environment().putAll(environment());
    if (inheritIo) {
      pb.inheritIO();
    } else {
      pb.redirectErrorStream(true)
          .redirectOutput(settings.workDir().resolve("console.log").toFile());
    }
    process = pb.start();
  }

  Map<String, String> environment() {
    Map<String, String> env = new HashMap<>(settings.environment());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    return env;
  }

  /**
   * Waits until the server answers {@code /health/ready} with the application's own database check
   * up: the WAR is deployed and its migrations are applied.
   */
  public void awaitReady(Duration timeout) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(healthUri().resolve("health/ready"))
            .timeout(Duration.ofSeconds(10))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            settings.kind() + " ended with exit code " + process.exitValue() + tail());
      }
      try {
        HttpResponse<String> r = client.send(ready, HttpResponse.BodyHandlers.ofString());
        last = r.statusCode() + " " + r.body();
        if (r.statusCode() == 200 && databaseCheckUp(r.body())) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException(
        settings.kind() + " not ready after " + timeout + "; last answer: " + last + tail());
  }

  private static boolean databaseCheckUp(String body) {
    try (JsonReader r = Json.createReader(new StringReader(body))) {
      return r.readObject().getJsonArray("checks").getValuesAs(JsonObject.class).stream()
          .anyMatch(
              c -> "database".equals(c.getString("name")) && "UP".equals(c.getString("status")));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Blocks until the server process ends; answers its exit code. */
  public int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  /** Stops the server gracefully, forcibly after a minute. */
  public void stop() {
    if (process == null || !process.isAlive()) {
      return;
    }
    // The WildFly start script runs the server as its child: remember the tree before it unravels.
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        tree.forEach(ProcessHandle::destroyForcibly);
      }
      for (ProcessHandle p : tree) {
        p.onExit().get(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      tree.forEach(ProcessHandle::destroyForcibly);
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      tree.forEach(ProcessHandle::destroyForcibly);
    }
  }

  /**
   * Kills the server with SIGKILL, as a crash would: no shutdown hook runs, nothing is drained. On
   * WildFly the JVM is a child of the start script, so the whole tree goes.
   */
  public void kill() throws InterruptedException {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : tree) {
      try {
        p.onExit().get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("process " + p.pid() + " survived SIGKILL", e);
      }
    }
  }

  /** The server's JVM: the process itself, or on WildFly the start script's java child. */
  public long jvmPid() {
    return process
        .descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
        .findFirst()
        .orElse(process.toHandle())
        .pid();
  }

  /** The last lines of the server's log, for failure messages. */
  String tail() {
    Path log = Files.exists(log()) ? log() : settings.workDir().resolve("console.log");
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      List<String> all = lines.toList();
      return "\n--- last lines of "
          + log
          + " ---\n"
          + String.join("\n", all.subList(Math.max(0, all.size() - 60), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return " (no log at " + log + ")";
    }
  }

  private void requireFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      s.setReuseAddress(true);
    } catch (IOException e) {
      throw new IllegalStateException(
          "port "
              + port
              + " is in use, so "
              + settings.kind()
              + " cannot start: is a server of an earlier run still up?",
          e);
    }
  }

  static String env(Map<String, String> environment, String name, String fallback) {
    String v = environment.getOrDefault(name, System.getenv(name));
    return v == null || v.isBlank() ? fallback : v;
  }

  /** Runs a setup tool of the server to completion; its output lands in the work directory. */
  void run(String name, List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    Path out = settings.workDir().resolve(name + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(settings.workDir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(name + " did not finish within 5 minutes, see " + out);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          name + " failed with exit code " + p.exitValue() + ":\n" + Files.readString(out));
    }
  }

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

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Payara Micro: one {@code java -jar} with the post-boot command file, the driver on the server's
   * class path and the WAR. It keeps nothing between starts, so the commands run on every boot.
   */
  static final class PayaraMicro extends AppServer {
    PayaraMicro(Settings settings) {
      super(settings);
    }

    @Override
    public URI healthUri() {
      return baseUri();
    }

    @Override
    public Path log() {
      return settings.workDir().resolve("console.log");
    }

    @Override
    void prepare() throws IOException {
      deleteTree(settings.workDir());
      Files.createDirectories(settings.workDir());
      // Payara takes passwords from files only: the one of SEALSYNC_ADMIN_PASSWORD goes into one.
      if (env(settings.environment(), "SEALSYNC_ADMIN_PASSWORD_FILE", null) == null) {
        Files.writeString(
            passwordFile(),
            "AS_ADMIN_USERPASSWORD="
                + env(settings.environment(), "SEALSYNC_ADMIN_PASSWORD", DEFAULT_ADMIN_PASSWORD)
                + "\n");
      }
    }

    @Override
    Map<String, String> environment() {
      Map<String, String> env = super.environment();
      if (env(env, "SEALSYNC_ADMIN_PASSWORD_FILE", null) == null) {
        env.put("SEALSYNC_ADMIN_PASSWORD_FILE", passwordFile().toString());
      }
      return env;
    }

    private Path passwordFile() {
      return settings.workDir().resolve("admin-password.txt");
    }

    /** The configured commands, plus the test viewer (no role) when asked for. */
    private Path commandFile() throws IOException {
      Path configured = settings.configDir().resolve("post-boot-commands.asadmin");
      if (!withViewer()) {
        return configured;
      }
      Path viewerPassword = settings.workDir().resolve("viewer-password.txt");
      Files.writeString(viewerPassword, "AS_ADMIN_USERPASSWORD=" + VIEWER_PASSWORD + "\n");
      Path commands = settings.workDir().resolve("post-boot-commands.asadmin");
      Files.writeString(
          commands,
          Files.readString(configured)
              + "\ncreate-file-user --authrealmname=sealsync --groups=sealsync-viewer --passwordfile="
              + viewerPassword
              + " "
              + VIEWER_USER
              + "\n");
      return commands;
    }

    @Override
    List<String> command() {
      Path commands;
      try {
        commands = commandFile();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      List<String> cmd = new ArrayList<>(List.of(java()));
      cmd.addAll(settings.jvmOptions());
      cmd.addAll(
          List.of(
              "-jar",
              settings.runtime().toString(),
              "--nocluster",
              "--port",
              String.valueOf(settings.httpPort()),
              "--rootdir",
              settings.workDir().resolve("root").toString(),
              "--addlibs",
              settings.driver().toString(),
              "--postbootcommandfile",
              commands.toString(),
              "--deploy",
              settings.war().toString()));
      return cmd;
    }
  }

  /**
   * WildFly: the installation stays as unpacked; the instance (configuration, deployments, data,
   * logs) lives in the work directory as its {@code jboss.server.base.dir}, configured offline by
   * {@code configure.cli} and {@code add-user} as an operator would.
   */
  static final class WildFly extends AppServer {
    private static final int HTTP = 8080;
    private static final int MANAGEMENT = 9990;

    WildFly(Settings settings) {
      super(settings);
    }

    private int offset() {
      return settings.httpPort() - HTTP;
    }

    @Override
    public URI healthUri() {
      return URI.create("http://localhost:" + (MANAGEMENT + offset()) + "/");
    }

    @Override
    List<Integer> otherPorts() {
      return List.of(MANAGEMENT + offset());
    }

    @Override
    public Path log() {
      return settings.workDir().resolve("log/server.log");
    }

    private String script(String name) {
      return settings.runtime().resolve("bin").resolve(name + ".sh").toString();
    }

    @Override
    void prepare() throws IOException, InterruptedException {
      Path home = settings.runtime();
      Path base = settings.workDir();
      deleteTree(base);
      Files.createDirectories(base.resolve("deployments"));
      copyTree(home.resolve("standalone/configuration"), base.resolve("configuration"));

      // The driver module, as the README has the operator install it.
      Path module = home.resolve("modules/org/postgresql/main");
      Files.createDirectories(module);
      Files.copy(
          settings.configDir().resolve("modules/org/postgresql/main/module.xml"),
          module.resolve("module.xml"),
          StandardCopyOption.REPLACE_EXISTING);
      Files.copy(
          settings.driver(), module.resolve("postgresql.jar"), StandardCopyOption.REPLACE_EXISTING);

      Map<String, String> env = environment();
      Map<String, String> cliEnv = new HashMap<>(env);
      cliEnv.put("JAVA_OPTS", "-Djboss.server.base.dir=" + base);
      run(
          "configure-cli",
          List.of(script("jboss-cli"), "--file=" + settings.configDir().resolve("configure.cli")),
          cliEnv);
      run(
          "add-user",
          List.of(
              script("add-user"),
              "-a",
              "-u",
              env(env, "SEALSYNC_ADMIN_USER", DEFAULT_ADMIN_USER),
              "-p",
              env(env, "SEALSYNC_ADMIN_PASSWORD", DEFAULT_ADMIN_PASSWORD),
              "-g",
              "sealsync-admin",
              "-sc",
              base.resolve("configuration").toString()),
          env);
      if (withViewer()) {
        run(
            "add-viewer",
            List.of(
                script("add-user"),
                "-a",
                "-u",
                VIEWER_USER,
                "-p",
                VIEWER_PASSWORD,
                "-g",
                "sealsync-viewer",
                "-sc",
                base.resolve("configuration").toString()),
            env);
      }
      Files.copy(settings.war(), base.resolve("deployments").resolve("sealsync.war"));
    }

    @Override
    Map<String, String> environment() {
      Map<String, String> env = super.environment();
      // The script then forwards a TERM to the server and waits for it, so stop() stops both.
      env.put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
      return env;
    }

    @Override
    List<String> command() {
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  script("standalone"),
                  "-Djboss.server.base.dir=" + settings.workDir(),
                  "-Djboss.socket.binding.port-offset=" + offset()));
      cmd.addAll(settings.jvmOptions());
      return cmd;
    }
  }

  /**
   * The run profiles' server: {@code <payara|wildfly> <runtime> <configDir> <workDir> <war>
   * <driver> <httpPort> <dbPort>}. Uses the embedded database on {@code dbPort} unless {@code
   * SEALSYNC_DB_HOST} names another; runs in the foreground until Ctrl+C.
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> env = developmentDefaults();
    String externalDb = System.getenv("SEALSYNC_DB_HOST");
    if (externalDb == null || externalDb.isBlank()) {
      env.put("SEALSYNC_DB_HOST", "localhost");
      env.put("SEALSYNC_DB_PORT", args[7]);
    }
    AppServer server =
        of(
            new Settings(
                Kind.of(args[0]),
                Path.of(args[1]).toAbsolutePath(),
                Path.of(args[2]).toAbsolutePath(),
                Path.of(args[3]).toAbsolutePath(),
                Path.of(args[4]).toAbsolutePath(),
                Path.of(args[5]).toAbsolutePath(),
                Integer.parseInt(args[6]),
                env,
                List.of()));
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
    server.start(true);
    server.awaitReady(Duration.ofMinutes(10));
    System.out.println(
        "[sealsync] "
            + server.settings.kind()
            + " serves Sealsync on "
            + server.baseUri()
            + " (health: "
            + server.healthUri().resolve("health/ready")
            + "). Ctrl+C stops it.");
    int exit = server.waitFor();
    if (exit != 0) {
      throw new IllegalStateException(server.settings.kind() + " ended with exit code " + exit);
    }
  }
}
