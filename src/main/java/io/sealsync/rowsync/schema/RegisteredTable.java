package io.sealsync.rowsync.schema;

import io.sealsync.rowsync.SqlNames;
import java.util.Map;
import java.util.Set;

/**
 * A registered table as validated against the database: its catalog id and the column types the
 * push path needs (bytea conversion, key casts, unknown-column checks).
 *
 * @param columnTypes column name to PostgreSQL {@code udt_name}, excluding {@code _sync_scope_id}
 */
public record RegisteredTable(
    int tableId, TableSpec spec, KeyKind keyKind, Map<String, String> columnTypes) {

  public enum KeyKind {
    UUID(1, "uuid"),
    TEXT(2, "text");

    final int code;
    final String sqlName;

    KeyKind(int code, String sqlName) {
      this.code = code;
      this.sqlName = sqlName;
    }
  }

  public String schema() {
    return spec.schema();
  }

  public String table() {
    return spec.table();
  }

  public String keyColumn() {
    return spec.keyColumn();
  }

  public boolean isBytea(String column) {
    return "bytea".equals(columnTypes.get(column));
  }

  public Set<String> columns() {
    return columnTypes.keySet();
  }

  /** The table as a quoted SQL identifier. */
  public String sqlName() {
    return SqlNames.quote(schema()) + "." + SqlNames.quote(table());
  }

  /**
   * A WHERE condition selecting one user's row by key; its two parameters are the key as text and
   * the user id. {@code qualifier} is the table's alias with its dot, or empty.
   */
  public String ownRowCondition(String qualifier) {
    return qualifier
        + SqlNames.quote(keyColumn())
        + " = ?::"
        + keyKind.sqlName
        + " AND "
        + qualifier
        + "_sync_scope_id = ?";
  }
}
