package io.sealsync.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What the database takes on disk, by table group (issue 23, item 5): each group's tables with
 * their TOAST and indexes ({@code pg_total_relation_size}), and of it the indexes ({@code
 * pg_indexes_size}).
 */
final class Disk {
  private Disk() {}

  /** One group: its bytes in all and in indexes, and the rows of its main table. */
  record Group(String name, long bytes, long indexBytes, long rows) {
    /** What this group grew by since {@code before}. */
    Group minus(Group before) {
      return new Group(
          name, bytes - before.bytes, indexBytes - before.indexBytes, rows - before.rows);
    }
  }

  /** The groups: each one's tables, the first of which is counted for its rows. */
  static final Map<String, List<String>> GROUPS = new LinkedHashMap<>();

  static {
    GROUPS.put("row sync: business rows (demo.users)", List.of("demo.users"));
    GROUPS.put("row sync: row state", List.of("sync.row_state"));
    GROUPS.put(
        "row sync: retained history (bundle log and rows)",
        List.of("sync.bundle_rows", "sync.bundle_log"));
    GROUPS.put(
        "row sync: users, scopes, sources",
        List.of("sync.user_state", "sync.scope_state", "sync.source_state"));
    GROUPS.put("agent state: replication log", List.of("replication_log"));
    GROUPS.put("agent state: snapshots", List.of("agent_state_snapshots"));
    GROUPS.put(
        "tenants, keys, ledger, audit",
        List.of("credit_ledger", "operator_audit", "tenant", "account", "api_key"));
  }

  static List<Group> groups(DataSource db) throws SQLException {
    List<Group> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement sizes =
            c.prepareStatement(
                "SELECT sum(pg_total_relation_size(t::regclass)), sum(pg_indexes_size(t::regclass))"
                    + " FROM unnest(?::text[]) t");
        Statement s = c.createStatement()) {
      for (Map.Entry<String, List<String>> g : GROUPS.entrySet()) {
        sizes.setArray(1, c.createArrayOf("text", g.getValue().toArray()));
        long rows;
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + g.getValue().get(0))) {
          rs.next();
          rows = rs.getLong(1);
        }
        try (ResultSet rs = sizes.executeQuery()) {
          rs.next();
          out.add(new Group(g.getKey(), rs.getLong(1), rs.getLong(2), rows));
        }
      }
    }
    return out;
  }

  static String databaseSize(DataSource db) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_database_size(current_database())")) {
      rs.next();
      return Report.size(rs.getLong(1));
    }
  }
}
