package io.sealsync.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The run command's database: starts an embedded PostgreSQL whose data directory is kept under
 * {@code target/} between runs, unless {@code SEALSYNC_DB_HOST} names an external database. It
 * stops when the Maven process that started it ends.
 */
public final class DevDatabase {
  private DevDatabase() {}

  /**
   * The run command's PostgreSQL: data kept in {@code dataDir}, and durable. The embedded
   * PostgreSQL library turns fsync off by default (it is made for tests); a first deployment often
   * runs on this default, so it must keep every write it acknowledged through a crash.
   */
  public static EmbeddedPostgres.Builder durable(int port, Path dataDir) {
    return EmbeddedPostgres.builder()
        .setPort(port)
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("full_page_writes", "on");
  }

  public static void main(String[] args) throws Exception {
    String externalHost = System.getenv("SEALSYNC_DB_HOST");
    if (externalHost != null && !externalHost.isBlank()) {
      System.out.println("[sealsync] using the external PostgreSQL at " + externalHost);
      return;
    }
    int port = Integer.parseInt(args.length > 0 ? args[0] : "55432");
    Path dataDir = Path.of(args.length > 1 ? args[1] : "target/pgdata").toAbsolutePath();
    Files.createDirectories(dataDir);
    EmbeddedPostgres pg = durable(port, dataDir).start();
    DemoSchema.create(pg.getPostgresDatabase());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    pg.close();
                  } catch (Exception ignored) {
                    // The JVM is ending; PostgreSQL stops with it either way.
                  }
                }));
    System.out.println("[sealsync] embedded PostgreSQL on port " + port + ", data in " + dataDir);
  }
}
