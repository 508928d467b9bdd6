package io.sealsync.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run command's embedded PostgreSQL keeps what it acknowledged: fsync and synchronous commit.
 */
class DevDatabaseTest {
  @Test
  void theRunCommandsDatabaseIsDurable(@TempDir Path dir) throws Exception {
    Path data = Files.createDirectories(dir.resolve("pgdata"));
    try (EmbeddedPostgres pg = DevDatabase.durable(0, data).start();
        Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      assertEquals("on", show(s, "fsync"));
      assertEquals("on", show(s, "synchronous_commit"));
      assertEquals("on", show(s, "full_page_writes"));
    }
  }

  private static String show(Statement s, String setting) throws Exception {
    try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
