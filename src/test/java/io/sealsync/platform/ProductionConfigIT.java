package io.sealsync.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.testsupport.DemoSchema;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.Jwts;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The configuration an operator deploys ({@code server-config/liberty/server.xml}, without the
 * development overlay) on a Liberty server of its own, beside the test server: with no secrets set,
 * and with the published development secrets but no development flag, the server refuses to serve
 * row sync and operator sign-in, and its log says why. OpenLiberty only: the configuration's checks
 * live in the application, the same on every server.
 */
@Tag("liberty-only")
class ProductionConfigIT {
  static final Path WLP = Path.of(System.getProperty("sealsync.test.wlp", "target/liberty/wlp"));
  static final String NAME =
      System.getProperty("sealsync.test.liberty.server", "sealsync-test") + "-prod";
  static final int HTTP_PORT = Integer.getInteger("sealsync.test.prod.http.port", 9380);
  static final int HTTPS_PORT = Integer.getInteger("sealsync.test.prod.https.port", 9743);

  @Test
  void withoutSecretsNeitherRowSyncNorOperatorSignInIsServed() throws Exception {
    String log = runServer(Map.of(), this::assertRowSyncAndOperatorApiRefused);
    assertTrue(
        log.contains("Row sync refuses every /sync request: no token key is configured"), log);
    assertTrue(
        log.contains("Operator API refuses BASIC sign-in: no operator password is set"), log);
  }

  @Test
  void thePublishedDevelopmentSecretsAreRefusedWithoutTheDevelopmentFlag() throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SEALSYNC_JWT_ISSUER", Jwts.ISSUER);
    env.put("SEALSYNC_JWT_SHARED_KEY", Jwts.SHARED_KEY);
    env.put("SEALSYNC_ADMIN_PASSWORD", Http.ADMIN_PASSWORD);
    String log = runServer(env, this::assertRowSyncAndOperatorApiRefused);
    assertTrue(
        log.contains(
            "Row sync refuses every /sync request: sealsync.jwt: sealsync.jwt.shared-key is the"
                + " development key the README publishes"),
        log);
    assertTrue(
        log.contains(
            "Operator API refuses BASIC sign-in: the operator password is the published"
                + " development one"),
        log);
  }

  void assertRowSyncAndOperatorApiRefused(Http http) {
    Http.Reply sync =
        http.send(
            "GET",
            "/sync/capabilities",
            "Bearer " + Jwts.forUser("alice"),
            Map.of("Oversync-Source-ID", "laptop"),
            null);
    assertEquals(401, sync.status(), sync.text());
    assertEquals("Token verification is not configured on this server", sync.text());
    // The operator API: plain HTTP is refused before any credential is looked at.
    Http.Reply admin = http.admin("GET", "/admin/tenants/1", null);
    assertEquals(403, admin.status(), admin.text());
    assertEquals("https_required", admin.error());
    // The metrics are the operator's too outside development mode.
    Http.Reply metrics = http.send("GET", "/metrics", null, null);
    assertEquals(403, metrics.status(), metrics.text());
    assertEquals("https_required", metrics.error());
  }

  /**
   * Creates the server from the deployable configuration, once: the second start finds the server's
   * caches warm.
   */
  @BeforeAll
  static void createServer() throws IOException {
    Path server = server();
    deleteTree(server);
    Files.createDirectories(server.resolve("lib/global"));
    Files.createDirectories(server.resolve("dropins"));
    Files.copy(Path.of("server-config/liberty/server.xml"), server.resolve("server.xml"));
    Files.copy(
        Path.of(System.getProperty("sealsync.test.driver", "target/servers/postgresql.jar")),
        server.resolve("lib/global/postgresql.jar"));
    Files.copy(
        Path.of(System.getProperty("sealsync.test.war", "target/sealsync.war")),
        server.resolve("dropins/sealsync.war"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(
        server.resolve("bootstrap.properties"),
        "default.http.port=" + HTTP_PORT + "\ndefault.https.port=" + HTTPS_PORT + "\n");
    Files.writeString(server.resolve("jvm.options"), "-Xmx256m\n");
  }

  static Path server() {
    return WLP.resolve("usr/servers").resolve(NAME);
  }

  /**
   * Starts the server with {@code env} in its {@code server.env}, runs {@code check} once the
   * application is ready, stops it and answers the log of that start.
   */
  String runServer(Map<String, String> env, java.util.function.Consumer<Http> check)
      throws Exception {
    Path server = server();
    Map<String, String> all = new LinkedHashMap<>();
    // The database is the one setting an operator must give that is not a token or a password of
    // this test's subject.
    all.put("SEALSYNC_DB_PORT", Integer.getInteger("sealsync.test.db.port", 55433).toString());
    all.put("SEALSYNC_DB_PASSWORD", "postgres");
    all.put("SEALSYNC_ROWSYNC_TABLES", DemoSchema.REGISTERED_TABLES);
    all.putAll(env);
    StringBuilder serverEnv = new StringBuilder();
    all.forEach((k, v) -> serverEnv.append(k).append('=').append(v).append('\n'));
    Files.writeString(server.resolve("server.env"), serverEnv);

    server("start");
    try {
      Http http = new Http(URI.create("http://localhost:" + HTTP_PORT + "/").toURL());
      awaitReady(http, server);
      check.accept(http);
    } finally {
      server("stop");
    }
    // OpenLiberty starts a new messages.log at every start.
    return Files.readString(server.resolve("logs/messages.log"), StandardCharsets.UTF_8);
  }

  private static void awaitReady(Http http, Path server) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        Http.Reply r = http.send("GET", "/health/ready", null, null);
        if (r.status() == 200) {
          return;
        }
        last = r.status() + " " + r.text();
      } catch (IllegalStateException e) {
        last = e.getCause() == null ? e.toString() : e.getCause().toString();
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "the production-configured server was not ready: "
            + last
            + "\n"
            + Files.readString(server.resolve("logs/messages.log")));
  }

  private static void server(String action) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(WLP.resolve("bin/server").toString());
    cmd.add(action);
    cmd.add(NAME);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("server " + action + " " + NAME + " failed:\n" + out);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
