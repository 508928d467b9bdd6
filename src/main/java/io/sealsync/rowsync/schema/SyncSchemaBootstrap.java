package io.sealsync.rowsync.schema;

import io.sealsync.platform.db.DatabaseFailures;
import io.sealsync.rowsync.SqlNames;
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
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  private static final Set<String> FK_ACTIONS = Set.of("a", "r", "c", "n", "d");
  private static final Set<String> FK_MATCH = Set.of("s");

  private final List<TableSpec> specs;

  public SyncSchemaBootstrap(List<TableSpec> specs) {
    this.specs = specs.stream().sorted(Comparator.comparing(TableSpec::qualifiedName)).toList();
  }

  /** Runs the whole bootstrap; returns the registered tables in table_id order. */
  public List<RegisteredTable> run(Connection c) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      List<RegisteredTable> tables = inTransaction(c, () -> validateTables(c));
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

  // ---- registered tables (§19) ----

  List<RegisteredTable> validateTables(Connection c) throws SQLException {
    Map<String, TableSpec> registered = new LinkedHashMap<>();
    specs.forEach(s -> registered.put(s.qualifiedName(), s));
    List<RegisteredTable> tables = new ArrayList<>();
    int tableId = 0;
    for (TableSpec spec : specs) {
      tableId++;
      String name = spec.qualifiedName();
      if (!SqlNames.valid(spec.schema())
          || !SqlNames.valid(spec.table())
          || !SqlNames.valid(spec.keyColumn())) {
        throw new UnsupportedSchemaException(
            name, "schema, table and key column names must match [a-z0-9_]+");
      }
      if (spec.keyColumn().equals(SCOPE_COLUMN)) {
        throw new UnsupportedSchemaException(
            name, "the sync key column may not be " + SCOPE_COLUMN);
      }
      Map<String, String> columns = columns(c, spec);
      if (columns.isEmpty()) {
        throw new UnsupportedSchemaException(name, "table does not exist or has no columns");
      }
      if (!"text".equals(columns.get(SCOPE_COLUMN))) {
        throw new UnsupportedSchemaException(
            name, SCOPE_COLUMN + " must exist and be of type text");
      }
      String keyType = columns.get(spec.keyColumn());
      RegisteredTable.KeyKind kind;
      if ("uuid".equals(keyType)) {
        kind = RegisteredTable.KeyKind.UUID;
      } else if ("text".equals(keyType)) {
        kind = RegisteredTable.KeyKind.TEXT;
      } else {
        throw new UnsupportedSchemaException(
            name,
            "sync key column "
                + spec.keyColumn()
                + " must be of type uuid or text, not "
                + (keyType == null ? "missing" : keyType));
      }
      validateUniqueIndexes(c, spec);
      validateForeignKeys(c, spec, registered);
      Map<String, String> payloadColumns = new LinkedHashMap<>(columns);
      payloadColumns.remove(SCOPE_COLUMN);
      tables.add(new RegisteredTable(tableId, spec, kind, Map.copyOf(payloadColumns)));
    }
    return List.copyOf(tables);
  }

  private static Map<String, String> columns(Connection c, TableSpec spec) throws SQLException {
    Map<String, String> columns = new LinkedHashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT column_name, udt_name FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
      ps.setString(1, spec.schema());
      ps.setString(2, spec.table());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          columns.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return columns;
  }

  private static void validateUniqueIndexes(Connection c, TableSpec spec) throws SQLException {
    String name = spec.qualifiedName();
    boolean exact = false;
    int count = 0;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT ic.relname, i.indpred IS NOT NULL, i.indexprs IS NOT NULL,"
                + " (SELECT string_agg(a.attname, ',' ORDER BY k.ord)"
                + "    FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)"
                + "    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum),"
                + " i.indnatts"
                + " FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_class ic ON ic.oid = i.indexrelid"
                + " WHERE n.nspname = ? AND c.relname = ? AND i.indisunique ORDER BY ic.relname")) {
      ps.setString(1, spec.schema());
      ps.setString(2, spec.table());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          count++;
          String index = rs.getString(1);
          String cols = rs.getString(4);
          if (rs.getBoolean(2)) {
            throw new UnsupportedSchemaException(
                name, "unique index " + index + " must not be partial");
          }
          if (rs.getBoolean(3)) {
            throw new UnsupportedSchemaException(
                name, "unique index " + index + " must not use expressions");
          }
          if (cols == null || cols.isEmpty()) {
            throw new UnsupportedSchemaException(name, "unique index " + index + " has no columns");
          }
          List<String> list = Arrays.asList(cols.split(","));
          if (!list.get(0).equals(SCOPE_COLUMN)) {
            throw new UnsupportedSchemaException(
                name,
                "unique index "
                    + index
                    + " ("
                    + cols
                    + ") must have "
                    + SCOPE_COLUMN
                    + " as its first column");
          }
          if (list.equals(List.of(SCOPE_COLUMN, spec.keyColumn()))) {
            exact = true;
          }
        }
      }
    }
    if (count == 0 || !exact) {
      throw new UnsupportedSchemaException(
          name,
          "a unique index on exactly (" + SCOPE_COLUMN + ", " + spec.keyColumn() + ") is required");
    }
  }

  private static void validateForeignKeys(
      Connection c, TableSpec spec, Map<String, TableSpec> registered) throws SQLException {
    String name = spec.qualifiedName();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT con.conname, con.condeferrable, con.confmatchtype::text, con.confupdtype::text,"
                + " con.confdeltype::text, pn.nspname, pc.relname,"
                + " (SELECT string_agg(a.attname, ',' ORDER BY k.ord)"
                + "    FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)"
                + "    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum),"
                + " (SELECT string_agg(a.attname, ',' ORDER BY k.ord)"
                + "    FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)"
                + "    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum)"
                + " FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " JOIN pg_class pc ON pc.oid = con.confrelid JOIN pg_namespace pn ON pn.oid = pc.relnamespace"
                + " WHERE con.contype = 'f' AND n.nspname = ? AND c.relname = ? ORDER BY con.conname")) {
      ps.setString(1, spec.schema());
      ps.setString(2, spec.table());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String fk = rs.getString(1);
          String parentName = rs.getString(6) + "." + rs.getString(7);
          TableSpec parent = registered.get(parentName);
          if (parent == null) {
            throw new UnsupportedSchemaException(
                "registered tables are not FK-closed: "
                    + name
                    + " ("
                    + fk
                    + ") references unregistered "
                    + parentName);
          }
          if (!FK_MATCH.contains(rs.getString(3))) {
            throw new UnsupportedSchemaException(
                name, "foreign key " + fk + " must use MATCH SIMPLE");
          }
          if (!FK_ACTIONS.contains(rs.getString(4)) || !FK_ACTIONS.contains(rs.getString(5))) {
            throw new UnsupportedSchemaException(
                name, "foreign key " + fk + " has an unsupported ON UPDATE/DELETE action");
          }
          List<String> child = Arrays.asList(rs.getString(8).split(","));
          List<String> parentCols = Arrays.asList(rs.getString(9).split(","));
          if (child.size() != 2
              || !child.get(0).equals(SCOPE_COLUMN)
              || !parentCols.get(0).equals(SCOPE_COLUMN)
              || !parentCols.get(1).equals(parent.keyColumn())) {
            throw new UnsupportedSchemaException(
                name,
                "foreign key "
                    + fk
                    + " must be scope-inclusive and reference ("
                    + SCOPE_COLUMN
                    + ", "
                    + parent.keyColumn()
                    + ") of "
                    + parentName);
          }
          if (!rs.getBoolean(2)) {
            throw new UnsupportedSchemaException(name, "foreign key " + fk + " must be DEFERRABLE");
          }
        }
      }
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
