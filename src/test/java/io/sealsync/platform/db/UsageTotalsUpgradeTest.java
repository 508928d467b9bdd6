package io.sealsync.platform.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sealsync.rowsync.schema.SyncSchemaBootstrap;
import io.sealsync.rowsync.schema.TableSpec;
import io.sealsync.testsupport.DemoSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * A database kept by V4's triggers (one generic function that planned its statement on every
 * write), upgraded in place: migration V5 and the next start's {@code sync-volume.sql} move every
 * table to its static trigger function, and the totals go on exactly from where V4's left them.
 */
class UsageTotalsUpgradeTest {

  @Test
  void anUpgradedDatabaseKeepsItsTotalsExactWithTheStaticTriggers() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      DataSource db = pg.getPostgresDatabase();
      migrate(db, "4");
      DemoSchema.create(db);
      try (Connection c = db.getConnection();
          Statement s = c.createStatement()) {
        bootstrap(c);
        // What a start of the V4 release installed on the sync schema.
        s.execute(
            "CREATE TRIGGER usage_total_added AFTER INSERT ON sync.user_state"
                + " REFERENCING NEW TABLE AS added FOR EACH STATEMENT"
                + " EXECUTE FUNCTION usage_total_track('''sync.user_state''', 'user_pk', '')");
        s.execute(
            "CREATE TRIGGER usage_total_removed AFTER DELETE ON sync.user_state"
                + " REFERENCING OLD TABLE AS removed FOR EACH STATEMENT"
                + " EXECUTE FUNCTION usage_total_track('''sync.user_state''', 'user_pk', '')");
        writeSome(s, 0);
        assertTotalsAgree(s);
      }

      migrate(db, "latest");
      try (Connection c = db.getConnection();
          Statement s = c.createStatement()) {
        bootstrap(c);
        assertEquals(
            0,
            count(
                s,
                "SELECT count(*) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid"
                    + " WHERE p.proname = 'usage_total_track'"));
        assertEquals(
            10,
            count(
                s,
                "SELECT count(*) FROM pg_trigger WHERE tgname IN"
                    + " ('usage_total_added', 'usage_total_removed')"));
        writeSome(s, 100);
        assertTotalsAgree(s);
        // A start of the new release finds its own triggers and changes nothing.
        bootstrap(c);
        writeSome(s, 200);
        assertTotalsAgree(s);
      }
    }
  }

  private static void migrate(DataSource db, String target) {
    Flyway.configure(UsageTotalsUpgradeTest.class.getClassLoader())
        .dataSource(db)
        .locations("classpath:db/migration")
        .target(target)
        .load()
        .migrate();
  }

  private static void bootstrap(Connection c) throws Exception {
    new SyncSchemaBootstrap(TableSpec.parseList(DemoSchema.REGISTERED_TABLES)).run(c);
  }

  /** Multi-row inserts and a delete in each counted table the test can fill without a server. */
  private static void writeSome(Statement s, int from) throws Exception {
    s.execute(
        "INSERT INTO tenant (id, kind, token_hash) SELECT i, 'project', lpad(i::text, 64, '0')"
            + " FROM generate_series("
            + (from + 1)
            + ", "
            + (from + 70)
            + ") i");
    s.execute("DELETE FROM tenant WHERE id % 7 = 0 AND id > " + from);
    s.execute(
        "INSERT INTO sync.user_state (user_id) SELECT 'user-' || i FROM generate_series("
            + (from + 1)
            + ", "
            + (from + 90)
            + ") i");
    s.execute("DELETE FROM sync.user_state WHERE user_pk % 5 = 0");
  }

  private static void assertTotalsAgree(Statement s) throws Exception {
    assertEquals(
        count(s, "SELECT count(*) FROM tenant WHERE kind = 'project'"),
        total(s, "tenant.project.rows"));
    assertEquals(
        count(s, "SELECT count(*) FROM sync.user_state"), total(s, "sync.user_state.rows"));
  }

  private static long total(Statement s, String name) throws Exception {
    return count(s, "SELECT coalesce(sum(value), 0) FROM usage_total WHERE name = '" + name + "'");
  }

  private static long count(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
