package io.sealsync.rowsync.push;

import io.sealsync.platform.JsonFactory;
import io.sealsync.platform.db.HotStatement;
import io.sealsync.rowsync.SyncError;
import io.sealsync.rowsync.SyncException;
import io.sealsync.rowsync.codec.StagedRow;
import io.sealsync.rowsync.schema.RegisteredTable;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Conflict detection against row state and the {@code push_conflict} answer (rowsync.md §8.5). */
public final class Conflicts {
  private Conflicts() {}

  /**
   * @param serverVersion {@code row_state.bundle_seq}, or null when the row has no state
   * @return the conflict message, or null when the row may be applied
   */
  static String detect(StagedRow.Op op, long base, Long serverVersion, boolean deleted) {
    if (op == StagedRow.Op.INSERT) {
      if (serverVersion == null) {
        return base == 0 ? null : "expected missing row at version 0";
      }
      if (!deleted) {
        return "row already exists at version " + serverVersion;
      }
      return base == serverVersion
          ? null
          : "expected base_row_version " + serverVersion + ", got " + base;
    }
    if (serverVersion == null || deleted) {
      return op + " expected an existing row, but the row does not exist";
    }
    return base == serverVersion ? null : "expected version " + serverVersion + ", got " + base;
  }

  static SyncException exception(
      Connection c,
      RegisteredTable table,
      String keyText,
      StagedRow.Op op,
      long base,
      Long serverVersion,
      boolean deleted,
      String message,
      String userId)
      throws SQLException {
    JsonObjectBuilder conflict =
        JsonFactory.object()
            .add("schema", table.schema())
            .add("table", table.table())
            .add("key", JsonFactory.object().add(table.keyColumn(), keyText))
            .add("op", op.name())
            .add("base_row_version", base)
            .add("server_row_version", serverVersion == null ? 0 : serverVersion)
            .add("server_row_deleted", deleted);
    JsonObject row = deleted ? null : serverRow(c, table, keyText, userId);
    if (row == null) {
      conflict.addNull("server_row");
    } else {
      conflict.add("server_row", row);
    }
    return new SyncException(
        SyncError.PUSH_CONFLICT, message, JsonFactory.object().add("conflict", conflict).build());
  }

  /** The row of {@link #serverRow}; parameters key, user id. */
  @HotStatement
  static String serverRowSql(RegisteredTable table) {
    return "SELECT (to_jsonb(t) - '_sync_scope_id')::text FROM "
        + table.sqlName()
        + " t WHERE "
        + table.ownRowCondition("t.");
  }

  /** The live business row as clients see it (§10.2), or null. */
  static JsonObject serverRow(Connection c, RegisteredTable table, String keyText, String userId)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(serverRowSql(table))) {
      ps.setString(1, keyText);
      ps.setString(2, userId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? BundleFinalizer.byteaToBase64(table, JsonFactory.readObject(rs.getString(1)))
            : null;
      }
    }
  }
}
