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

  public static void main(String[] args) throws Exception {
    String externalHost = System.getenv("SEALSYNC_DB_HOST");
    if (externalHost != null && !externalHost.isBlank()) {
      System.out.println("[sealsync] using the external PostgreSQL at " + externalHost);
      return;
    }
    int port = Integer.parseInt(args.length > 0 ? args[0] : "55432");
    Path dataDir = Path.of(args.length > 1 ? args[1] : "target/pgdata").toAbsolutePath();
    Files.createDirectories(dataDir);
    EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setPort(port)
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .start();
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
