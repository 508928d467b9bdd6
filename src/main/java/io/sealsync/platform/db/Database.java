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
}
