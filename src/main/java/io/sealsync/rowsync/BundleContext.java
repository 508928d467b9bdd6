package io.sealsync.rowsync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The transaction-local GUCs that open a bundle for the triggers (rowsync.md §18.4). */
final class BundleContext {
  private static final String[] NAMES = {
    "oversync.bundle_user_id",
    "oversync.bundle_user_pk",
    "oversync.bundle_source_id",
    "oversync.bundle_source_bundle_id",
    "oversync.bundle_initialization_id"
  };

  private BundleContext() {}

  static void set(
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
    // The current values, then the new ones: two statements, one round trip; the first reads the
    // values before the second sets them.
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT coalesce(current_setting(?, true), ''), coalesce(current_setting(?, true), ''),"
                + " coalesce(current_setting(?, true), ''), coalesce(current_setting(?, true), ''),"
                + " coalesce(current_setting(?, true), '');"
                + " SELECT set_config(?, ?, true), set_config(?, ?, true), set_config(?, ?, true),"
                + " set_config(?, ?, true), set_config(?, ?, true)")) {
      for (int i = 0; i < NAMES.length; i++) {
        ps.setString(i + 1, NAMES[i]);
        ps.setString(NAMES.length + 2 * i + 1, NAMES[i]);
        ps.setString(NAMES.length + 2 * i + 2, values[i]);
      }
      ps.execute();
      try (ResultSet rs = ps.getResultSet()) {
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
