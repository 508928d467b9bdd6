package io.sealsync.rowsync;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * JDBC access for the sync runtime, which is PostgreSQL by nature (triggers, GUCs, advisory locks,
 * jsonb). Called inside a container transaction, the connection is enlisted in it.
 */
@ApplicationScoped
public class SyncDatabase {
  @Resource(lookup = "java:comp/env/jdbc/sealsync")
  DataSource dataSource;

  public Connection connection() throws SQLException {
    return dataSource.getConnection();
  }
}
