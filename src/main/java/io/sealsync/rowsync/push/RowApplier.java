package io.sealsync.rowsync.push;

import io.sealsync.platform.JsonFactory;
import io.sealsync.platform.db.HotStatement;
import io.sealsync.rowsync.SqlNames;
import io.sealsync.rowsync.SyncError;
import io.sealsync.rowsync.codec.StagedRow;
import io.sealsync.rowsync.schema.RegisteredTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Applies staged rows to their business tables (rowsync.md §8.6). Values come from
 * jsonb_populate_recordset, so PostgreSQL parses them with the columns' own types; columns absent
 * from an INSERT payload take their defaults, and an UPDATE writes only the payload's columns.
 * Consecutive rows with the same table, op and columns go to the database as one statement.
 */
public final class RowApplier {
  private RowApplier() {}

  private static String recordset(RegisteredTable table) {
    return "jsonb_populate_recordset(NULL::" + table.sqlName() + ", ?::jsonb) WITH ORDINALITY AS r";
  }

  /** Inserts rows of {@code table} with {@code columns}; parameters user id, payload array. */
  @HotStatement
  static String insertSql(RegisteredTable table, Set<String> columns) {
    String cols = columns.stream().map(SqlNames::quote).collect(Collectors.joining(", "));
    String values =
        columns.stream().map(col -> "r." + SqlNames.quote(col)).collect(Collectors.joining(", "));
    // ORDER BY ordinality keeps the client's order, which the capture order (and so the bundle)
    // follows.
    return "INSERT INTO "
        + table.sqlName()
        + " (_sync_scope_id"
        + (cols.isEmpty() ? "" : ", " + cols)
        + ")"
        + " SELECT ?"
        + (values.isEmpty() ? "" : ", " + values)
        + " FROM "
        + recordset(table)
        + " ORDER BY r.ordinality";
  }

  /** Updates {@code columns} of rows of {@code table}; parameters payload array, user id. */
  @HotStatement
  static String updateSql(RegisteredTable table, Set<String> columns) {
    String key = SqlNames.quote(table.keyColumn());
    String set =
        columns.stream()
            .filter(col -> !col.equals(table.keyColumn()))
            .map(col -> SqlNames.quote(col) + " = r." + SqlNames.quote(col))
            .collect(Collectors.joining(", "));
    if (set.isEmpty()) {
      // Only the key: rewrite it to itself, so the row is still captured as updated.
      set = key + " = r." + key;
    }
    return "UPDATE "
        + table.sqlName()
        + " t SET "
        + set
        + " FROM "
        + recordset(table)
        + " WHERE t."
        + key
        + " = r."
        + key
        + " AND t._sync_scope_id = ?";
  }

  /** Deletes one row of {@code table}; parameters key, user id. */
  @HotStatement
  static String deleteSql(RegisteredTable table) {
    return "DELETE FROM " + table.sqlName() + " WHERE " + table.ownRowCondition("");
  }

  /** Rows in the client's order, grouped into set-based statements as they come. */
  public static final class Batch {
    private final Connection c;
    private final String userId;
    private RegisteredTable table;
    private StagedRow.Op op;
    private Set<String> columns;
    private final List<String> payloads = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();

    public Batch(Connection c, String userId) {
      this.c = c;
      this.userId = userId;
    }

    public void add(RegisteredTable t, String keyText, StagedRow.Op o, String payload)
        throws SQLException {
      Set<String> cols = payload == null ? Set.of() : JsonFactory.readObject(payload).keySet();
      if (t != table || o != op || !cols.equals(columns)) {
        flush();
        table = t;
        op = o;
        columns = cols;
        for (String column : cols) {
          if (!t.columns().contains(column)) {
            throw SyncError.PUSH_COMMIT_INVALID.exception(
                "column " + column + " does not exist in " + t.spec().qualifiedName());
          }
        }
      }
      keys.add(keyText);
      payloads.add(payload);
    }

    public void flush() throws SQLException {
      if (keys.isEmpty()) {
        return;
      }
      switch (op) {
        case INSERT -> insert();
        case UPDATE -> update();
        case DELETE -> delete();
      }
      keys.clear();
      payloads.clear();
    }

    private String payloadArray() {
      return "[" + String.join(",", payloads) + "]";
    }

    private void insert() throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(insertSql(table, columns))) {
        ps.setString(1, userId);
        ps.setString(2, payloadArray());
        ps.executeUpdate();
      }
    }

    private void update() throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(updateSql(table, columns))) {
        ps.setString(1, payloadArray());
        ps.setString(2, userId);
        ps.executeUpdate();
      }
    }

    private void delete() throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(deleteSql(table))) {
        for (String key : keys) {
          ps.setString(1, key);
          ps.setString(2, userId);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }
}
