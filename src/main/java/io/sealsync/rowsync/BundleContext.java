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
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT coalesce(current_setting(?, true), ''), coalesce(current_setting(?, true), ''),"
                + " coalesce(current_setting(?, true), ''), coalesce(current_setting(?, true), ''),"
                + " coalesce(current_setting(?, true), '')")) {
      for (int i = 0; i < NAMES.length; i++) {
        ps.setString(i + 1, NAMES[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        for (int i = 0; i < NAMES.length; i++) {
          String current = rs.getString(i + 1);
          if (!current.isEmpty() && !current.equals(values[i])) {
            throw new IllegalStateException(NAMES[i] + " already holds another bundle's value");
          }
        }
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT set_config(?, ?, true), set_config(?, ?, true), set_config(?, ?, true),"
                + " set_config(?, ?, true), set_config(?, ?, true)")) {
      for (int i = 0; i < NAMES.length; i++) {
        ps.setString(2 * i + 1, NAMES[i]);
        ps.setString(2 * i + 2, values[i]);
      }
      ps.execute();
    }
  }
}
