package io.sealsync.testsupport;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Sealsync node that a fault test starts, kills, stops and starts again itself (the Arquillian
 * container cannot be killed mid-test): an OpenLiberty server of its own, made from the test server
 * that {@code liberty:create} prepared (same configuration, driver and options), running the built
 * WAR on its own ports and database. {@code bin/server run} execs the JVM, so the process is the
 * server itself and {@link #kill()} is a real SIGKILL of it.
 *
 * <p>With {@code -Dtest.faults.server=payara} or {@code wildfly} the node is that server instead,
 * run by {@link AppServer} from {@code server-config/<server>/} with the same options.
 */
public final class NodeProcess implements AutoCloseable {
  private final String name;
  private final int httpPort;
  private final int httpsPort;
  private final int dbPort;
  private final List<String> extraOptions;
  private final String kind = System.getProperty("sealsync.test.faults.server", "liberty");
  private Process process;
  private AppServer other;

  /**
   * @param node the node's name, unique in the test run (a Liberty server name)
   * @param extraOptions JVM options on top of the test server's own ({@code jvm.options})
   */
  public NodeProcess(String node, int httpPort, int httpsPort, int dbPort, String... extraOptions) {
    this.name = System.getProperty("sealsync.test.liberty.server", "sealsync-test") + "-" + node;
    this.httpPort = httpPort;
    this.httpsPort = httpsPort;
    this.dbPort = dbPort;
    this.extraOptions = List.of(extraOptions);
  }

  /**
   * A server variable of this node (a Liberty bootstrap property, an environment variable for
   * Payara and WildFly), e.g. {@code sealsync.db.url} for a replicated database.
   */
  public NodeProcess variable(String name, String value) {
    variables.put(name, value);
    return this;
  }

  private final java.util.Map<String, String> variables = new java.util.LinkedHashMap<>();

  /** A port of the fault tests' own range ({@code -Dtest.faults.port.base}, ten ports). */
  public static int port(int offset) {
    return Integer.getInteger("sealsync.test.faults.port.base", 19110) + offset;
  }

  private static Path wlp() {
    return Path.of("target/liberty/wlp").toAbsolutePath();
  }

  private Path serverDir() {
    return wlp().resolve("usr/servers").resolve(name);
  }

  /** A fresh server directory: the test server's configuration, this node's ports, the WAR. */
  private void prepare() throws IOException {
    Path template =
        wlp()
            .resolve("usr/servers")
            .resolve(System.getProperty("sealsync.test.liberty.server", "sealsync-test"));
    Path dir = serverDir();
    AppServer.deleteTree(dir);
    Files.createDirectories(dir.resolve("dropins"));
    for (String file : List.of("server.xml", "server.env")) {
      Files.copy(template.resolve(file), dir.resolve(file));
    }
    AppServer.copyTree(template.resolve("lib"), dir.resolve("lib"));
    // The development overlay (secrets the deployed configuration leaves out) and test users.
    if (Files.isDirectory(template.resolve("configDropins"))) {
      AppServer.copyTree(template.resolve("configDropins"), dir.resolve("configDropins"));
    }
    List<String> options = new ArrayList<>(Files.readAllLines(template.resolve("jvm.options")));
    // Later options win: this node's own come last.
    options.addAll(extraOptions);
    Files.write(dir.resolve("jvm.options"), options);
    Files.writeString(
        dir.resolve("bootstrap.properties"),
        "default.http.port="
            + httpPort
            + "\ndefault.https.port="
            + httpsPort
            + "\nsealsync.db.port="
            + dbPort
            + "\n"
            + variables.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue() + "\n")
                .collect(java.util.stream.Collectors.joining()));
    Files.copy(
        Path.of(System.getProperty("sealsync.test.war", "target/sealsync.war")),
        dir.resolve("dropins/sealsync.war"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** Payara or WildFly, with the Liberty test server's options. */
  private AppServer.Settings otherSettings() throws IOException {
    AppServer.Kind k = AppServer.Kind.of(kind);
    java.util.Map<String, String> env = new java.util.HashMap<>(AppServer.developmentDefaults());
    env.put("SEALSYNC_DB_HOST", "localhost");
    env.put("SEALSYNC_DB_PORT", String.valueOf(dbPort));
    env.put("SEALSYNC_DB_NAME", "postgres");
    env.put("SEALSYNC_DB_USER", "postgres");
    env.put("SEALSYNC_DB_PASSWORD", "postgres");
    variables.forEach(
        (key, value) ->
            env.put(
                key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'), value));
    List<String> options = new ArrayList<>();
    Path template =
        wlp()
            .resolve("usr/servers")
            .resolve(System.getProperty("sealsync.test.liberty.server", "sealsync-test"));
    options.addAll(Files.readAllLines(template.resolve("jvm.options")));
    options.addAll(extraOptions);
    // WildFly's script takes server properties, not JVM options (its heap is in standalone.conf).
    options.removeIf(
        o -> !o.startsWith("-D") && (k == AppServer.Kind.WILDFLY || !o.startsWith("-X")));
    return new AppServer.Settings(
        k,
        Path.of(
                System.getProperty(
                    k == AppServer.Kind.PAYARA
                        ? "sealsync.test.payara.jar"
                        : "sealsync.test.wildfly.home"))
            .toAbsolutePath(),
        Path.of("server-config", kind).toAbsolutePath(),
        Path.of("target/faults", name).toAbsolutePath(),
        Path.of(System.getProperty("sealsync.test.war", "target/sealsync.war")).toAbsolutePath(),
        Path.of(System.getProperty("sealsync.test.driver", "target/servers/postgresql.jar"))
            .toAbsolutePath(),
        httpPort,
        env,
        options);
  }

  /** Starts the node (a fresh server the first time) and waits until it is ready. */
  public NodeProcess start() throws IOException, InterruptedException {
    if (!kind.equals("liberty")) {
      other = AppServer.of(otherSettings());
      other.start(false);
      other.awaitReady(Duration.ofSeconds(240));
      return this;
    }
    if (process == null) {
      prepare();
    }
    ProcessBuilder pb =
        new ProcessBuilder(wlp().resolve("bin/server").toString(), "run", name)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(serverDir().resolve("console.log").toFile()));
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    // The server's configuration comes from bootstrap.properties, not from the caller's shell.
    pb.environment().keySet().removeIf(k -> k.startsWith("SEALSYNC_") || k.startsWith("DEFAULT_"));
    process = pb.start();
    awaitReady(Duration.ofSeconds(180));
    return this;
  }

  /** Waits for {@code /health/ready} with the database check up: deployed and migrated. */
  private void awaitReady(Duration timeout) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/health/ready"))
            .timeout(Duration.ofSeconds(10))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "node " + name + " ended with exit code " + process.exitValue() + "; see " + logs());
      }
      try {
        HttpResponse<String> r = client.send(ready, HttpResponse.BodyHandlers.ofString());
        last = r.statusCode() + " " + r.body();
        if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "node " + name + " not ready after " + timeout + " (" + last + "); see " + logs());
  }

  private Path logs() {
    return serverDir().resolve("logs");
  }

  /** SIGKILL of the node's JVM: no shutdown hook runs, nothing is drained. */
  public void kill() throws InterruptedException {
    if (other != null) {
      other.kill();
      return;
    }
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("node " + name + " survived SIGKILL");
    }
  }

  /** A graceful stop (SIGTERM: Liberty stops its applications, then exits). */
  public void stop() throws InterruptedException {
    if (other != null) {
      other.stop();
      return;
    }
    if (process == null || !process.isAlive()) {
      return;
    }
    ProcessHandle handle = process.toHandle();
    process.destroy();
    try {
      handle.onExit().get(90, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
    }
  }

  public long pid() {
    return other != null ? other.jvmPid() : process.pid();
  }

  /** Where the node serves {@code /health} (WildFly: its management interface). */
  public Http healthHttp() {
    try {
      return other != null ? new Http(other.healthUri().toURL()) : http();
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  public URL url() {
    try {
      return URI.create("http://localhost:" + httpPort + "/").toURL();
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  public Http http() {
    return new Http(url());
  }

  /** The server's log, for a report. */
  public String logTail() throws IOException {
    Path log = logs().resolve("messages.log");
    if (!Files.exists(log)) {
      return "";
    }
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
