package io.sealsync.platform.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The plans of the hot statements at volume: a database loaded to a mid-sized deployment ({@code
 * plan-volume.sql}: 10,000 tenants, 100,000 ledger entries, 200,000 blocks, 50,000 audit entries,
 * 10,000 row-sync users with 110,000 bundles of 250,000 rows, a heavy tenant and user among them),
 * then {@code EXPLAIN} of every {@link HotStatement} twice: with its parameters bound as a request
 * binds them (the plan of the first executions), and as the generic plan a prepared statement
 * settles on after five. Either plan reading a growing table sequentially fails the test, unless
 * the check names the table and why. Runs once per suite (it talks to PostgreSQL alone), in a
 * database of its own.
 */
@Tag("once")
class HotStatementPlansIT {
  static PlanDatabase db;

  @BeforeAll
  static void load() throws SQLException {
    long started = System.nanoTime();
    db = PlanDatabase.create("sealsync_plans");
    System.out.printf("plan database loaded in %d ms%n", (System.nanoTime() - started) / 1_000_000);
  }

  @AfterAll
  static void drop() throws SQLException {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void theLoadedDatabaseIsWhatTheServerWouldHaveWritten() throws SQLException {
    // The kept totals agree with the tables they count (the load went through their triggers),
    // and the heavy user's history is complete.
    try (Statement s = db.connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT (SELECT count(*) FROM replication_log),"
                    + " (SELECT coalesce(sum(value), 0) FROM usage_total WHERE name = 'replication_log.rows'),"
                    + " (SELECT count(*) FROM sync.bundle_log),"
                    + " (SELECT coalesce(sum(value), 0) FROM usage_total WHERE name = 'sync.bundle_log.rows'),"
                    + " (SELECT count(*) FROM sync.bundle_log b JOIN sync.user_state u USING (user_pk)"
                    + "  WHERE u.user_id = 'user-1'),"
                    + " (SELECT count(*) FROM demo.users WHERE _sync_scope_id = 'user-1')")) {
      rs.next();
      assertEquals(200_000, rs.getLong(1));
      assertEquals(rs.getLong(1), rs.getLong(2));
      assertEquals(109_990, rs.getLong(3));
      assertEquals(rs.getLong(3), rs.getLong(4));
      assertEquals(10_000, rs.getLong(5));
      assertEquals(10_000, rs.getLong(6));
    }
  }

  /** The kept totals against the tables they count, in one snapshot. */
  private static final String TOTALS_AGREE =
      "SELECT (SELECT count(*) FROM replication_log)"
          + " = (SELECT sum(value) FROM usage_total WHERE name = 'replication_log.rows'),"
          + " (SELECT sum(byte_size) FROM replication_log)"
          + " = (SELECT sum(value) FROM usage_total WHERE name = 'replication_log.bytes'),"
          + " (SELECT count(*) FROM sync.bundle_log)"
          + " = (SELECT sum(value) FROM usage_total WHERE name = 'sync.bundle_log.rows'),"
          + " (SELECT sum(byte_count) FROM sync.bundle_log)"
          + " = (SELECT sum(value) FROM usage_total WHERE name = 'sync.bundle_log.bytes'),"
          + " (SELECT count(*) FROM tenant WHERE kind = 'project')"
          + " = (SELECT sum(value) FROM usage_total WHERE name = 'tenant.project.rows'),"
          + " (SELECT count(*) FROM sync.user_state)"
          + " = (SELECT sum(value) FROM usage_total WHERE name = 'sync.user_state.rows'),"
          + " NOT EXISTS (SELECT 1 FROM (SELECT tenant_id, count(*) AS n, sum(byte_size) AS b"
          + "  FROM replication_log GROUP BY tenant_id) x"
          + "  FULL JOIN replication_log_total t USING (tenant_id)"
          + "  WHERE coalesce(x.n, 0) <> coalesce(t.blocks, 0)"
          + "  OR coalesce(x.b, 0) <> coalesce(t.bytes, 0))";

  @Test
  void theKeptTotalsFollowTheServersWritesAndRetention() throws Exception {
    Connection c = db.connection;
    c.setAutoCommit(false);
    try {
      // Retention prunes 1,000 of user-1's bundles (rows go by cascade); a replicate appends two
      // blocks; a new project token and a new row-sync user arrive. The product's own statements.
      try (PreparedStatement ps = c.prepareStatement(statement(check("PRUNE_SQL")))) {
        long userPk = 1;
        ps.setLong(1, 5000);
        ps.setLong(2, 1000);
        ps.setLong(3, userPk);
        ps.setLong(4, 5000);
        ps.setLong(5, userPk);
        assertEquals(1000, ps.executeUpdate());
      }
      PlanChecks.Check insert = check("insertSql");
      try (PreparedStatement ps = c.prepareStatement(statement(insert))) {
        for (int i = 0; i < insert.binds().size(); i++) {
          bind(ps, i + 1, insert.binds().get(i));
        }
        assertEquals(2, ps.executeUpdate());
      }
      try (PreparedStatement ps =
          c.prepareStatement(jdbcParameters(statement(check("INSERT_PROJECT_TENANT"))))) {
        ps.setString(1, PlanChecks.sha256Hex("a new project"));
        assertEquals(1, ps.executeUpdate());
      }
      try (PreparedStatement ps = c.prepareStatement(statement(check("ENSURE_USER")))) {
        ps.setString(1, "a new user");
        assertEquals(1, ps.executeUpdate());
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(TOTALS_AGREE)) {
        rs.next();
        for (int i = 1; i <= 7; i++) {
          assertTrue(rs.getBoolean(i), "kept total " + i + " of " + TOTALS_AGREE);
        }
      }
    } finally {
      c.rollback();
      c.setAutoCommit(true);
    }
  }

  private static PlanChecks.Check check(String member) {
    return PlanChecks.ALL.stream().filter(k -> k.member().equals(member)).findFirst().orElseThrow();
  }

  @Test
  void noHotStatementScansATableThatGrows() throws Exception {
    List<String> failures = new ArrayList<>();
    Map<String, String> report = new TreeMap<>();
    for (PlanChecks.Check check : PlanChecks.ALL) {
      String statement = statement(check);
      String sql = check.sql() != null ? check.sql() : statement;
      try {
        List<String> scans = new ArrayList<>();
        JsonObject bound = explain(check, sql, false);
        JsonObject generic = explain(check, sql, true);
        String where = check + " " + Arrays.toString(check.binds().toArray());
        scans(bound, check, where + " (parameters bound)", failures, scans);
        scans(generic, check, where + " (generic plan)", failures, scans);
        report.merge(check.toString(), summary(bound), (a, b) -> a + " | " + b);
      } catch (SQLException e) {
        failures.add(check + ": cannot be planned: " + e.getMessage() + "\n  " + sql);
      }
    }
    report.forEach((k, v) -> System.out.println(k + ": " + v));
    assertTrue(failures.isEmpty(), String.join("\n\n", failures));
  }

  /** The statement the product runs: a constant's value, or what a builder returns. */
  static String statement(PlanChecks.Check check) throws ReflectiveOperationException {
    Class<?> owner = Class.forName(check.className());
    if (check.args() == null) {
      Field f = owner.getDeclaredField(check.member());
      f.setAccessible(true);
      return (String) f.get(null);
    }
    Method m =
        Arrays.stream(owner.getDeclaredMethods())
            .filter(x -> x.getName().equals(check.member()))
            .findFirst()
            .orElseThrow();
    m.setAccessible(true);
    return (String) m.invoke(null, check.args().apply(db));
  }

  private static final Pattern NUMBERED = Pattern.compile("\\?(\\d+)");

  /** JPA's numbered parameters ({@code ?1}) as JDBC's, in order. */
  static String jdbcParameters(String sql) {
    Matcher m = NUMBERED.matcher(sql);
    StringBuilder out = new StringBuilder();
    int expected = 1;
    while (m.find()) {
      assertEquals(expected++, Integer.parseInt(m.group(1)), "numbered parameters in order");
      m.appendReplacement(out, "?");
    }
    return m.appendTail(out).toString();
  }

  /** JDBC parameters as PostgreSQL's {@code $n}, for a plan without values. */
  static String numbered(String sql) {
    StringBuilder out = new StringBuilder();
    int n = 0;
    for (char ch : sql.toCharArray()) {
      if (ch == '?') {
        out.append('$').append(++n);
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }

  /** The plan, in a transaction that rolls back, after the settings the product makes. */
  static JsonObject explain(PlanChecks.Check check, String sql, boolean generic)
      throws SQLException {
    String jdbc = jdbcParameters(sql);
    long parameters = jdbc.chars().filter(ch -> ch == '?').count();
    assertEquals(
        parameters, check.binds().size(), check + ": one value per parameter of\n  " + jdbc);
    Connection c = generic ? db.simple : db.connection;
    c.setAutoCommit(false);
    try {
      try (Statement s = c.createStatement()) {
        for (String setting : check.settings()) {
          s.execute("SET LOCAL " + setting);
        }
      }
      String text;
      if (generic) {
        try (Statement s = c.createStatement();
            ResultSet rs =
                s.executeQuery("EXPLAIN (GENERIC_PLAN, VERBOSE, FORMAT JSON) " + numbered(jdbc))) {
          rs.next();
          text = rs.getString(1);
        }
      } else {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN (VERBOSE, FORMAT JSON) " + jdbc)) {
          for (int i = 0; i < check.binds().size(); i++) {
            bind(ps, i + 1, check.binds().get(i));
          }
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            text = rs.getString(1);
          }
        }
      }
      JsonArray plans = Json.createReader(new StringReader(text)).readArray();
      return plans.getJsonObject(0).getJsonObject("Plan");
    } finally {
      c.rollback();
      c.setAutoCommit(true);
    }
  }

  static void bind(PreparedStatement ps, int i, Object v) throws SQLException {
    Connection c = ps.getConnection();
    if (v == null) {
      ps.setNull(i, Types.VARCHAR);
    } else if (v instanceof PlanChecks.Query q) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(q.sql())) {
        rs.next();
        ps.setObject(i, rs.getObject(1));
      }
    } else if (v instanceof Long[] a) {
      ps.setArray(i, c.createArrayOf("int8", a));
    } else if (v instanceof Short[] a) {
      ps.setArray(i, c.createArrayOf("int2", a));
    } else if (v instanceof Boolean[] a) {
      ps.setArray(i, c.createArrayOf("bool", a));
    } else if (v instanceof String[] a) {
      ps.setArray(i, c.createArrayOf("text", a));
    } else if (v instanceof Array a) {
      ps.setArray(i, a);
    } else {
      ps.setObject(i, v);
    }
  }

  /** Every sequential scan of the plan that is not allowed: of a table that grows. */
  static void scans(
      JsonObject node,
      PlanChecks.Check check,
      String where,
      List<String> failures,
      List<String> seen) {
    if ("Seq Scan".equals(node.getString("Node Type", ""))) {
      String table = node.getString("Schema", "?") + "." + node.getString("Relation Name", "?");
      seen.add(table);
      if (!PlanChecks.SMALL_FIXED_TABLES.contains(table) && !check.scans().containsKey(table)) {
        failures.add(where + ": sequential scan of " + table + "\n" + node);
      }
    }
    JsonValue children = node.get("Plans");
    if (children instanceof JsonArray a) {
      for (JsonValue child : a) {
        scans(child.asJsonObject(), check, where, failures, seen);
      }
    }
  }

  /** The plan's access paths, for the log: node types with their relations or indexes. */
  static String summary(JsonObject node) {
    StringBuilder sb = new StringBuilder(node.getString("Node Type"));
    if (node.containsKey("Index Name")) {
      sb.append('(').append(node.getString("Index Name")).append(')');
    } else if (node.containsKey("Relation Name")) {
      sb.append('(').append(node.getString("Relation Name")).append(')');
    }
    JsonValue children = node.get("Plans");
    if (children instanceof JsonArray a && !a.isEmpty()) {
      sb.append(" [");
      for (int i = 0; i < a.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        sb.append(summary(a.getJsonObject(i)));
      }
      sb.append(']');
    }
    return sb.toString();
  }
}
