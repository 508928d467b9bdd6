package io.sealsync.rowsync.push;

import io.sealsync.platform.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The transaction-local GUCs that open a bundle for the triggers (rowsync.md §18.4), set together
 * with the deferral of constraints to the end of the bundle's writes.
 */
public final class BundleContext {
  private static final String[] NAMES = {
    "oversync.bundle_user_id",
    "oversync.bundle_user_pk",
    "oversync.bundle_source_id",
    "oversync.bundle_source_bundle_id",
    "oversync.bundle_initialization_id"
  };

  private BundleContext() {}

  static void open(
      Connection c,
      String userId,
      long userPk,
      String sourceId,
      long sourceBundleId,
      String initializationId)
      throws SQLException {
    String[] values = {
      userId,
      Long.toString(userPk),
      sourceId,
      Long.toString(sourceBundleId),
      initializationId == null ? "" : initializationId
    };
    // Constraints deferred, the current values, then the new ones: three statements, one round
    // trip; the second reads the values before the third sets them.
    try (PreparedStatement ps =
        c.prepareStatement(
            "SET CONSTRAINTS ALL DEFERRED;"
                + " SELECT coalesce(current_setting(?, true), ''), coalesce(current_setting(?, true), ''),"
                + " coalesce(current_setting(?, true), ''), coalesce(current_setting(?, true), ''),"
                + " coalesce(current_setting(?, true), '');"
                + " SELECT set_config(?, ?, true), set_config(?, ?, true), set_config(?, ?, true),"
                + " set_config(?, ?, true), set_config(?, ?, true)")) {
      for (int i = 0; i < NAMES.length; i++) {
        ps.setString(i + 1, NAMES[i]);
        ps.setString(NAMES.length + 2 * i + 1, NAMES[i]);
        ps.setString(NAMES.length + 2 * i + 2, values[i]);
      }
      try (ResultSet rs = Database.secondResult(ps)) {
        rs.next();
        for (int i = 0; i < NAMES.length; i++) {
          String current = rs.getString(i + 1);
          if (!current.isEmpty() && !current.equals(values[i])) {
            throw new IllegalStateException(NAMES[i] + " already holds another bundle's value");
          }
        }
      }
    }
  }
}
