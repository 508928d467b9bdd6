package io.sealsync.admin;

import io.sealsync.platform.db.UsageTotals;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Read-only SQL of the operator views (lists, totals, row-sync state): plain JDBC, each query on a
 * connection borrowed for it, outside any transaction.
 */
@ApplicationScoped
public class AdminDatabase {
  @Resource(lookup = "java:comp/env/jdbc/sealsync")
  DataSource dataSource;

  /** Maps one result row. */
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  public Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  /** The rows of {@code sql} with {@code params} bound in order. */
  public <T> List<T> list(String sql, RowMapper<T> mapper, Object... params) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      List<T> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("operator query failed: " + e.getMessage(), e);
    }
  }

  public <T> T one(String sql, RowMapper<T> mapper, Object... params) {
    List<T> rows = list(sql, mapper, params);
    return rows.isEmpty() ? null : rows.get(0);
  }

  /** Totals kept in {@code usage_total} ({@link UsageTotals}), by name. */
  public Map<String, Long> totals(String... names) {
    try (Connection c = dataSource.getConnection()) {
      return UsageTotals.read(c, names);
    } catch (SQLException e) {
      throw new IllegalStateException("operator query failed: " + e.getMessage(), e);
    }
  }

  public long total(String name) {
    return totals(name).get(name);
  }

  /** A timestamptz column, formatted as the API's other timestamps (null stays null). */
  public static String ts(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : io.sealsync.platform.Timestamps.format(t);
  }

  /** A nullable BIGINT column. */
  public static Long longOrNull(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }
}
