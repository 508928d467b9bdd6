package io.sealsync.rowsync.schema;

import io.sealsync.platform.db.DatabaseFailures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Creates or validates the {@code sync} schema (rowsync.md §17.1), validates the registered tables
 * (§19) and (re)installs their capture triggers (§18). Plain JDBC on a connection whose
 * transactions it commits itself; every failure is a startup error.
 */
public final class SyncSchemaBootstrap {
  /** The ASCII bytes of "oversync": the reference's bootstrap lock key. */
  static final long BOOTSTRAP_LOCK = 0x6f76657273796e63L;

  static final String LAYOUT = "server_postgres_sync_v1";
  public static final String SCOPE_COLUMN = "_sync_scope_id";

  private final List<TableSpec> specs;

  public SyncSchemaBootstrap(List<TableSpec> specs) {
    this.specs = specs.stream().sorted(Comparator.comparing(TableSpec::qualifiedName)).toList();
  }

  /** Runs the whole bootstrap; returns the registered tables in table_id order. */
  public List<RegisteredTable> run(Connection c) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      List<RegisteredTable> tables =
          inTransaction(c, () -> RegisteredTableValidation.validate(c, specs));
      inTransaction(
          c,
          () -> {
            ensureLayout(c, tables);
            return null;
          });
      inTransaction(
          c,
          () -> {
            installTriggers(c, tables);
            return null;
          });
      // Indexes, autovacuum settings and kept totals for a database at volume (sync-volume.sql).
      inTransaction(
          c,
          () -> {
            try (Statement s = c.createStatement()) {
              s.execute(resource("sync-volume.sql"));
            }
            return null;
          });
      return tables;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  private interface Work<T> {
    T run() throws SQLException;
  }

  /** One transaction under the bootstrap lock, retried on serialization failures (§17.1). */
  private static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        try (Statement s = c.createStatement()) {
          s.execute("SELECT pg_advisory_xact_lock(" + BOOTSTRAP_LOCK + ")");
        }
        T result = work.run();
        c.commit();
        return result;
      } catch (SQLException e) {
        c.rollback();
        if (attempt >= 3 || !DatabaseFailures.isRetryable(e)) {
          throw e;
        }
        sleep(50L * attempt);
      } catch (RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- layout (§17) ----

  private void ensureLayout(Connection c, List<RegisteredTable> tables) throws SQLException {
    boolean meta;
    boolean catalog;
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT to_regclass('sync.meta') IS NOT NULL, to_regclass('sync.table_catalog') IS NOT NULL")) {
      rs.next();
      meta = rs.getBoolean(1);
      catalog = rs.getBoolean(2);
    }
    if (!meta && !catalog) {
      if (syncSchemaHasObjects(c)) {
        throw unsupportedLayout();
      }
      try (Statement s = c.createStatement()) {
        s.execute(resource("sync-layout.sql"));
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO sync.table_catalog (table_id, schema_name, table_name, sync_key_column, sync_key_kind)"
                  + " VALUES (?, ?, ?, ?, ?)")) {
        for (RegisteredTable t : tables) {
          ps.setInt(1, t.tableId());
          ps.setString(2, t.schema());
          ps.setString(3, t.table());
          ps.setString(4, t.keyColumn());
          ps.setShort(5, (short) t.keyKind().code);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return;
    }
    if (meta != catalog) {
      throw unsupportedLayout();
    }
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT singleton_key, protocol_label, layout_name FROM sync.meta")) {
      int rows = 0;
      while (rs.next()) {
        rows++;
        if (!rs.getBoolean(1) || !"v1".equals(rs.getString(2)) || !LAYOUT.equals(rs.getString(3))) {
          throw unsupportedLayout();
        }
      }
      if (rows != 1) {
        throw unsupportedLayout();
      }
    }
    List<String> expected =
        tables.stream()
            .map(
                t ->
                    t.tableId()
                        + "|"
                        + t.schema()
                        + "|"
                        + t.table()
                        + "|"
                        + t.keyColumn()
                        + "|"
                        + t.keyKind().code)
            .toList();
    List<String> actual = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT table_id, schema_name, table_name, sync_key_column, sync_key_kind"
                    + " FROM sync.table_catalog ORDER BY table_id")) {
      while (rs.next()) {
        actual.add(
            rs.getInt(1)
                + "|"
                + rs.getString(2)
                + "|"
                + rs.getString(3)
                + "|"
                + rs.getString(4)
                + "|"
                + rs.getShort(5));
      }
    }
    if (!expected.equals(actual)) {
      throw new UnsupportedSchemaException(
          "the registered tables differ from sync.table_catalog (configured "
              + tables.stream().map(t -> t.spec().qualifiedName()).collect(Collectors.joining(", "))
              + "); changing the registered table set requires dropping the sync schema");
    }
  }

  private static boolean syncSchemaHasObjects(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = 'sync') + (SELECT count(*) FROM pg_proc p"
                    + " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'sync')")) {
      rs.next();
      return rs.getLong(1) > 0;
    }
  }

  private static UnsupportedSchemaException unsupportedLayout() {
    return new UnsupportedSchemaException(
        "existing sync schema uses unsupported layout; drop and recreate the sync schema");
  }

  // ---- triggers (§18.1) ----

  private static void installTriggers(Connection c, List<RegisteredTable> tables)
      throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(resource("sync-functions.sql"));
      for (RegisteredTable t : tables) {
        String table = t.sqlName();
        s.execute("DROP TRIGGER IF EXISTS oversync_bundle_owner_guard ON " + table);
        s.execute(
            "CREATE TRIGGER oversync_bundle_owner_guard BEFORE INSERT OR UPDATE OR DELETE ON "
                + table
                + " FOR EACH ROW EXECUTE FUNCTION sync.enforce_registered_row_owner()");
        s.execute("DROP TRIGGER IF EXISTS oversync_bundle_capture_row ON " + table);
        s.execute(
            "CREATE TRIGGER oversync_bundle_capture_row AFTER INSERT OR UPDATE OR DELETE ON "
                + table
                + " FOR EACH ROW EXECUTE FUNCTION sync.capture_registered_row_change("
                + captureArguments(t)
                + ")");
      }
    }
  }

  /**
   * The capture trigger's arguments as the reference writes them (§18.1): three text literals, the
   * key kind as its catalog number, e.g. {@code 'id', '1', '8'}. Reference tooling sharing the
   * database reads them the same way.
   */
  static String captureArguments(RegisteredTable t) {
    return literal(t.keyColumn())
        + ", "
        + literal(Integer.toString(t.keyKind().code))
        + ", "
        + literal(Integer.toString(t.tableId()));
  }

  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static String resource(String name) {
    try (InputStream in = SyncSchemaBootstrap.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
