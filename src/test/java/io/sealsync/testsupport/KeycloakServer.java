package io.sealsync.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Keycloak for the integration tests, started once per build: {@code start <home> <realmDir>
 * <httpPort> <managementPort>} in {@code pre-integration-test} and {@code stop <home>} in {@code
 * post-integration-test} (exec-maven-plugin, in Maven's own JVM). The start returns at once and
 * Keycloak boots while the first tests run; the tests that need it wait for its realm ({@link
 * Keycloak#awaitReady}). So the three servers' test runs, each a JVM of its own, share one Keycloak
 * and pay its start (about a minute) once.
 *
 * <p>Everything lives under {@code <home>}, in {@code target/}: the realm files of {@code
 * <realmDir>} are imported into a fresh H2 database ({@code <home>/data}) at every start, so that a
 * run never sees a key rotation of the one before. Its log is {@code <home>/../keycloak.log}.
 */
public final class KeycloakServer {
  /** Keycloak's own administrator, of its master realm: the tests rotate the realm's keys. */
  public static final String ADMIN_USER = "admin";

  public static final String ADMIN_PASSWORD = "admin";

  private KeycloakServer() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[1]).toAbsolutePath();
    switch (args[0]) {
      case "start" -> start(home, Path.of(args[2]), Integer.parseInt(args[3]), args[4]);
      case "stop" -> stop(home);
      default -> throw new IllegalArgumentException("start or stop, not " + args[0]);
    }
  }

  private static Path pidFile(Path home) {
    return home.resolveSibling("keycloak.pid");
  }

  static void start(Path home, Path realmDir, int port, String managementPort)
      throws IOException, InterruptedException {
    // A Keycloak left over by an interrupted build would answer with its old realm.
    stop(home);
    requireFree(port);
    requireFree(Integer.parseInt(managementPort));
    Path data = home.resolve("data");
    AppServer.deleteTree(data);
    Path imports = Files.createDirectories(data.resolve("import"));
    try (Stream<Path> files = Files.list(realmDir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        Files.copy(f, imports.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Path script = home.resolve("bin/kc.sh");
    script.toFile().setExecutable(true);
    Path log = home.resolveSibling("keycloak.log");
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    script.toString(),
                    "start-dev",
                    "--http-port=" + port,
                    "--http-management-port=" + managementPort,
                    "--import-realm"))
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
    pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
    Process process = pb.start();
    Files.writeString(pidFile(home), Long.toString(process.pid()));
    // Should the build end without the stop step (Ctrl+C, a failed phase), Keycloak ends with it.
    ProcessHandle handle = process.toHandle();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> destroy(handle)));
    System.out.println(
        "[sealsync] Keycloak starting in the background on http://localhost:"
            + port
            + " (log: "
            + log
            + ")");
  }

  static void stop(Path home) throws IOException {
    Path pid = pidFile(home);
    if (!Files.exists(pid)) {
      return;
    }
    // Only the Keycloak of this home: a process id may have been reused since it was written.
    Optional<ProcessHandle> process =
        ProcessHandle.of(Long.parseLong(Files.readString(pid).trim()))
            .filter(
                p ->
                    p.info()
                        .commandLine()
                        .map(c -> c.contains(home.toString()) || c.contains("kc.sh"))
                        .orElse(false));
    process.ifPresent(KeycloakServer::destroy);
    Files.deleteIfExists(pid);
  }

  /** kc.sh execs Java, so the process is Keycloak itself; it stops within seconds of a TERM. */
  private static void destroy(ProcessHandle process) {
    if (!process.isAlive()) {
      return;
    }
    List<ProcessHandle> tree = Stream.concat(process.descendants(), Stream.of(process)).toList();
    tree.forEach(ProcessHandle::destroy);
    try {
      process.onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      tree.forEach(ProcessHandle::destroyForcibly);
    }
  }

  private static void requireFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("0.0.0.0"))) {
      s.setReuseAddress(true);
    } catch (IOException e) {
      throw new IllegalStateException(
          "port " + port + " is in use, so Keycloak cannot start (-Dtest.keycloak.port=...)", e);
    }
  }
}
