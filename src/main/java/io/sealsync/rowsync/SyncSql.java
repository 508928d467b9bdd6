package io.sealsync.rowsync;

import java.sql.SQLException;
import java.util.Set;

/** SQLSTATE classification shared by the sync paths. */
final class SyncSql {
  /** Serialization failure, deadlock, lock not available: retried (rowsync.md §7.1). */
  private static final Set<String> TRANSIENT = Set.of("40001", "40P01", "55P03");

  private SyncSql() {}

  static boolean isTransient(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s
          && s.getSQLState() != null
          && TRANSIENT.contains(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Caused by the rows a client sent (constraint, type or data errors, unknown columns, owner-guard
   * rejections) rather than by the server: answered 400, never 500.
   */
  static boolean isClientCaused(SQLException e) {
    String state = e.getSQLState();
    return state != null
        && (state.startsWith("23")
            || state.startsWith("22")
            || state.equals("42703")
            || state.equals("42804")
            || state.equals("P0001"));
  }
}
