package io.sealsync.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts one real PostgreSQL for the integration tests of a test JVM, before Arquillian starts the
 * application server, on the port the test server's configuration points at. Unit-test JVMs do not
 * set {@code sealsync.test.embeddedPostgres} and start nothing.
 */
public class EmbeddedPostgresSession implements LauncherSessionListener {
  private EmbeddedPostgres postgres;

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    if (!Boolean.getBoolean("sealsync.test.embeddedPostgres")) {
      return;
    }
    int port = Integer.getInteger("sealsync.test.db.port", 55433);
    try {
      postgres =
          EmbeddedPostgres.builder()
              .setPort(port)
              .setServerConfig("max_connections", "200")
              // Tests only: a throw-away database needs no durability, and this is faster. The run
              // command's database is durable (DevDatabase); fault tests that crash PostgreSQL
              // start their own durable one.
              .setServerConfig("fsync", "off")
              .setServerConfig("synchronous_commit", "off")
              .start();
      DemoSchema.create(postgres.getPostgresDatabase());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL on port " + port, e);
    }
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    if (postgres != null) {
      try {
        postgres.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
