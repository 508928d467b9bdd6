package io.sealsync.rowsync.schema;

import io.sealsync.rowsync.SqlNames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks a table must pass to be registered (rowsync.md §19): names, key column, scope column,
 * unique indexes and foreign keys the protocol can keep consistent.
 */
final class RegisteredTableValidation {
  private static final Set<String> FK_ACTIONS = Set.of("a", "r", "c", "n", "d");
  private static final Set<String> FK_MATCH = Set.of("s");

  private RegisteredTableValidation() {}

  static List<RegisteredTable> validate(Connection c, List<TableSpec> specs) throws SQLException {
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
      if (spec.keyColumn().equals(SyncSchemaBootstrap.SCOPE_COLUMN)) {
        throw new UnsupportedSchemaException(
            name, "the sync key column may not be " + SyncSchemaBootstrap.SCOPE_COLUMN);
      }
      Map<String, String> columns = columns(c, spec);
      if (columns.isEmpty()) {
        throw new UnsupportedSchemaException(name, "table does not exist or has no columns");
      }
      if (!"text".equals(columns.get(SyncSchemaBootstrap.SCOPE_COLUMN))) {
        throw new UnsupportedSchemaException(
            name, SyncSchemaBootstrap.SCOPE_COLUMN + " must exist and be of type text");
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
      payloadColumns.remove(SyncSchemaBootstrap.SCOPE_COLUMN);
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
          if (!list.get(0).equals(SyncSchemaBootstrap.SCOPE_COLUMN)) {
            throw new UnsupportedSchemaException(
                name,
                "unique index "
                    + index
                    + " ("
                    + cols
                    + ") must have "
                    + SyncSchemaBootstrap.SCOPE_COLUMN
                    + " as its first column");
          }
          if (list.equals(List.of(SyncSchemaBootstrap.SCOPE_COLUMN, spec.keyColumn()))) {
            exact = true;
          }
        }
      }
    }
    if (count == 0 || !exact) {
      throw new UnsupportedSchemaException(
          name,
          "a unique index on exactly ("
              + SyncSchemaBootstrap.SCOPE_COLUMN
              + ", "
              + spec.keyColumn()
              + ") is required");
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
              || !child.get(0).equals(SyncSchemaBootstrap.SCOPE_COLUMN)
              || !parentCols.get(0).equals(SyncSchemaBootstrap.SCOPE_COLUMN)
              || !parentCols.get(1).equals(parent.keyColumn())) {
            throw new UnsupportedSchemaException(
                name,
                "foreign key "
                    + fk
                    + " must be scope-inclusive and reference ("
                    + SyncSchemaBootstrap.SCOPE_COLUMN
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
}
