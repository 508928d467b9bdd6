package io.sealsync.platform.db;

import io.sealsync.rowsync.schema.RegisteredTable;
import io.sealsync.rowsync.schema.SyncSchemaBootstrap;
import io.sealsync.rowsync.schema.TableSpec;
import io.sealsync.testsupport.DemoSchema;
import io.sealsync.testsupport.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;

/**
 * The plan check's database, in the test PostgreSQL: migrated and bootstrapped as a server would,
 * then loaded to a mid-sized deployment ({@code plan-volume.sql}), vacuumed and analyzed.
 */
final class PlanDatabase implements AutoCloseable {
  final String name;
  final Connection connection;
  final List<RegisteredTable> tables;

  /**
   * The same database in the simple query protocol, for {@code EXPLAIN (GENERIC_PLAN)}: its
   * statement text keeps {@code $n} placeholders that no bind message may fill.
   */
  final Connection simple;

  private PlanDatabase(String name, Connection connection, List<RegisteredTable> tables) {
    this.name = name;
    this.connection = connection;
    this.tables = tables;
    int port = Integer.getInteger("sealsync.test.db.port", 55433);
    try {
      this.simple =
          java.sql.DriverManager.getConnection(
              "jdbc:postgresql://localhost:" + port + "/" + name + "?preferQueryMode=simple",
              "postgres",
              "postgres");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The tables whose rows usage_total counts (migration V4, sync-volume.sql); replication_log_total
   * too counts replication_log's.
   */
  private static final List<String> COUNTED =
      List.of(
          "tenant",
          "replication_log",
          "agent_state_snapshots",
          "sync.user_state",
          "sync.bundle_log");

  static PlanDatabase create(String name) throws SQLException {
    try (Connection admin = TestDatabase.connect();
        Statement s = admin.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
      s.execute("CREATE DATABASE " + name);
    }
    int port = Integer.getInteger("sealsync.test.db.port", 55433);
    Flyway.configure(PlanDatabase.class.getClassLoader())
        .dataSource("jdbc:postgresql://localhost:" + port + "/" + name, "postgres", "postgres")
        .locations("classpath:db/migration")
        .failOnMissingLocations(true)
        .load()
        .migrate();
    Connection c = TestDatabase.connect(name);
    try (Statement s = c.createStatement()) {
      s.execute(resource("/demo-schema.sql"));
    }
    List<RegisteredTable> tables =
        new SyncSchemaBootstrap(TableSpec.parseList(DemoSchema.REGISTERED_TABLES)).run(c);
    try (Statement s = c.createStatement()) {
      for (String t : COUNTED) {
        s.execute("ALTER TABLE " + t + " ENABLE ALWAYS TRIGGER usage_total_added");
      }
      s.execute(resource("plan-volume.sql"));
      for (String t : COUNTED) {
        s.execute("ALTER TABLE " + t + " ENABLE TRIGGER usage_total_added");
      }
      s.execute("VACUUM ANALYZE");
    }
    return new PlanDatabase(name, c, tables);
  }

  RegisteredTable table(String qualifiedName) {
    return tables.stream()
        .filter(t -> t.spec().qualifiedName().equals(qualifiedName))
        .findFirst()
        .orElseThrow();
  }

  private static String resource(String name) {
    try (InputStream in = PlanDatabase.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
    simple.close();
    try (Connection admin = TestDatabase.connect();
        Statement s = admin.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
    }
  }
}
