package io.sealsync.platform.db;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Plain JDBC on the application's data source, for the PostgreSQL-specific and hot paths (row
 * sync's triggers, GUCs and advisory locks; the replicate append). Called inside a container
 * transaction, the connection is enlisted in it and shared with the persistence context's.
 */
@ApplicationScoped
public class Database {
  @Resource(lookup = "java:comp/env/jdbc/sealsync")
  DataSource dataSource;

  public Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  /**
   * Runs a two-statement round trip and returns the second statement's rows. Under READ COMMITTED
   * the second statement takes its snapshot after the first (a lock, a SET) has finished.
   */
  public static ResultSet secondResult(PreparedStatement ps) throws SQLException {
    ps.execute();
    if (!ps.getMoreResults()) {
      throw new SQLException("the round trip's second statement returned no rows");
    }
    return ps.getResultSet();
  }

  /** Runs a round trip of several statements and reads past all their results ({@link #drain}). */
  public static void executeAll(PreparedStatement ps) throws SQLException {
    ps.execute();
    drain(ps);
  }

  /**
   * Reads past the round trip's remaining results. On OpenLiberty, a statement closed with results
   * still unread was never prepared on the server: PostgreSQL's log showed every execution of its
   * statements parsed and planned anew, thousands of times on one connection. Read to the end, it
   * is prepared once per connection like any other.
   */
  public static void drain(PreparedStatement ps) throws SQLException {
    while (ps.getMoreResults() || ps.getUpdateCount() != -1) {
      // nothing to read: the results are already in memory
    }
  }
}
