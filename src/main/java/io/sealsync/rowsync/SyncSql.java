package io.sealsync.rowsync;

import java.sql.SQLException;

/** SQLSTATE classification shared by the sync paths. */
public final class SyncSql {
  private SyncSql() {}

  /**
   * Caused by the rows a client sent (constraint, type or data errors, unknown columns, owner-guard
   * rejections, values beyond PostgreSQL's limits such as a key too long for its index) rather than
   * by the server: answered 400, never 500.
   */
  public static boolean isClientCaused(SQLException e) {
    String state = e.getSQLState();
    return state != null
        && (state.startsWith("23")
            || state.startsWith("22")
            || state.startsWith("54")
            || state.equals("42703")
            || state.equals("42804")
            || state.equals("P0001"));
  }
}
