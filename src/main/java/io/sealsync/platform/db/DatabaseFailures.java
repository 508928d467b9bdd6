package io.sealsync.platform.db;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Classifies a failure by what a client should do about it. Transient database failures are not the
 * client's fault and not a bug: they are retried where the operation allows it, and otherwise
 * answered 503 with {@code Retry-After}, which every shipping client retries.
 */
public final class DatabaseFailures {
  /** Seconds a client is asked to wait after a transient database failure. */
  public static final int RETRY_AFTER_SECONDS = 1;

  /** Serialization failure, deadlock, lock not available: the transaction may simply run again. */
  private static final Set<String> RETRYABLE = Set.of("40001", "40P01", "55P03");

  /**
   * The database is briefly out of reach: shutting down, starting, out of connections, read-only (a
   * standby while the cluster fails over), or the connection broke (class 08).
   */
  private static final Set<String> UNAVAILABLE =
      Set.of(
          "57P01",
          "57P02",
          "57P03",
          "53300",
          // read_only_sql_transaction: a standby, or a primary being demoted in a failover
          "25006");

  private DatabaseFailures() {}

  /** A serialization failure, deadlock or lock timeout anywhere in the cause chain. */
  public static boolean isRetryable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLException s
          && s.getSQLState() != null
          && RETRYABLE.contains(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Retryable, or the database (or the pool in front of it) is briefly unavailable: the request can
   * succeed if the client tries again, so the answer is 503, never 500.
   */
  public static boolean isTransient(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLTransientException || c instanceof SQLRecoverableException) {
        return true;
      }
      if (c instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        if (RETRYABLE.contains(state) || UNAVAILABLE.contains(state) || state.startsWith("08")) {
          return true;
        }
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }
}
