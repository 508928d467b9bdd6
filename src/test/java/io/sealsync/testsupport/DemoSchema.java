package io.sealsync.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Creates the demo business schema (demo-schema.sql) if it is not there yet. */
public final class DemoSchema {
  /** The row-sync registration of the demo tables, as the run and test servers configure it. */
  public static final String REGISTERED_TABLES =
      "demo.teams:id,demo.users:id,demo.posts:id,demo.files:id,demo.tags:name";

  private DemoSchema() {}

  public static void create(DataSource ds) {
    try (InputStream in = DemoSchema.class.getResourceAsStream("/demo-schema.sql");
        Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create the demo schema", e);
    }
  }
}
