package io.sealsync.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Direct JDBC to the test PostgreSQL, standing in for operator SQL or another node. */
public final class TestDatabase {
  private TestDatabase() {}

  public static Connection connect(String database) throws SQLException {
    int port = Integer.getInteger("sealsync.test.db.port", 55433);
    return DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + port + "/" + database, "postgres", "postgres");
  }

  public static Connection connect() throws SQLException {
    return connect("postgres");
  }
}
