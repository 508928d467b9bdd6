package io.sealsync.platform.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Totals kept in {@code usage_total} as rows are written (migration V4, and the sync schema's
 * triggers of {@code sync-volume.sql}), read in constant time however large the tables grow: {@code
 * tenant.account.rows}, {@code tenant.project.rows}, {@code replication_log.rows} and {@code
 * .bytes}, {@code agent_state_snapshots.rows}, {@code sync.user_state.rows}, {@code
 * sync.bundle_log.rows} and {@code .bytes}.
 */
public final class UsageTotals {
  private UsageTotals() {}

  @HotStatement
  static final String READ =
      "SELECT name, sum(value) FROM usage_total WHERE name = ANY (?) GROUP BY name";

  /** The named totals; one never written reads 0. */
  public static Map<String, Long> read(Connection c, String... names) throws SQLException {
    Map<String, Long> totals = new HashMap<>();
    for (String name : names) {
      totals.put(name, 0L);
    }
    try (PreparedStatement ps = c.prepareStatement(READ)) {
      ps.setArray(1, c.createArrayOf("text", names));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          totals.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return totals;
  }

  public static long read(Connection c, String name) throws SQLException {
    return read(c, new String[] {name}).get(name);
  }
}
