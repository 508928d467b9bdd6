package io.sealsync.rowsync;

import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.stream.Collectors;

/**
 * Applies one staged row to its business table (rowsync.md §8.6). Values come from
 * jsonb_populate_record, so PostgreSQL parses them with the columns' own types; columns absent from
 * an INSERT payload take their defaults, and an UPDATE writes only the payload's columns.
 */
final class RowApplier {
  private RowApplier() {}

  static void apply(
      Connection c,
      RegisteredTable table,
      String keyText,
      StagedRow.Op op,
      String payload,
      String userId)
      throws SQLException {
    String keyMatch =
        SqlNames.quote(table.keyColumn())
            + " = ?::"
            + table.keyKind().sqlName
            + " AND _sync_scope_id = ?";
    if (op == StagedRow.Op.DELETE) {
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM " + table.sqlName() + " WHERE " + keyMatch)) {
        ps.setString(1, keyText);
        ps.setString(2, userId);
        ps.executeUpdate();
      }
      return;
    }
    JsonObject p = BundleFinalizer.parse(payload);
    for (String column : p.keySet()) {
      if (!table.columns().contains(column)) {
        throw SyncError.PUSH_COMMIT_INVALID.exception(
            "column " + column + " does not exist in " + table.spec().qualifiedName());
      }
    }
    String columns = p.keySet().stream().map(SqlNames::quote).collect(Collectors.joining(", "));
    String fromRecord = "jsonb_populate_record(NULL::" + table.sqlName() + ", ?::jsonb) r";
    String sql;
    if (op == StagedRow.Op.INSERT) {
      String values =
          p.keySet().stream()
              .map(col -> "r." + SqlNames.quote(col))
              .collect(Collectors.joining(", "));
      sql =
          "INSERT INTO "
              + table.sqlName()
              + " (_sync_scope_id, "
              + columns
              + ") SELECT ?, "
              + values
              + " FROM "
              + fromRecord;
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, userId);
        ps.setString(2, payload);
        ps.executeUpdate();
      }
    } else {
      String set =
          p.keySet().stream()
              .map(col -> SqlNames.quote(col) + " = r." + SqlNames.quote(col))
              .collect(Collectors.joining(", "));
      sql =
          "UPDATE "
              + table.sqlName()
              + " t SET "
              + set
              + " FROM "
              + fromRecord
              + " WHERE t."
              + SqlNames.quote(table.keyColumn())
              + " = ?::"
              + table.keyKind().sqlName
              + " AND t._sync_scope_id = ?";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, payload);
        ps.setString(2, keyText);
        ps.setString(3, userId);
        ps.executeUpdate();
      }
    }
  }
}
