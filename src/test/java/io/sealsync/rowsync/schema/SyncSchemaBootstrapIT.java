package io.sealsync.rowsync.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.rowsync.codec.Bundle;
import io.sealsync.rowsync.codec.BundleRow;
import io.sealsync.rowsync.push.BundleFinalizer;
import io.sealsync.testsupport.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap against a real PostgreSQL, in a database of its own: layout creation and
 * validation, and one refusal per registered-table rule, each naming the table and the rule. The
 * server runs exactly this at start and refuses to deploy on any of these errors.
 */
class SyncSchemaBootstrapIT {
  String database;
  Connection c;

  @BeforeEach
  void freshDatabase() throws SQLException {
    database = "bootstrap_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection admin = TestDatabase.connect();
        Statement s = admin.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
    c = TestDatabase.connect(database);
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    c.close();
    try (Connection admin = TestDatabase.connect();
        Statement s = admin.createStatement()) {
      s.execute("DROP DATABASE " + database);
    }
  }

  void sql(String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static final String PARENT =
      "CREATE TABLE app.parent (_sync_scope_id TEXT NOT NULL, id UUID NOT NULL, PRIMARY KEY (_sync_scope_id, id));";

  List<RegisteredTable> bootstrap(String tables) throws SQLException {
    return new SyncSchemaBootstrap(TableSpec.parseList(tables)).run(c);
  }

  String refusal(String ddl, String tables) throws SQLException {
    sql("CREATE SCHEMA app; " + ddl);
    return assertThrows(UnsupportedSchemaException.class, () -> bootstrap(tables)).getMessage();
  }

  @Test
  void freshBootstrapThenValidationOfTheExistingLayout() throws SQLException {
    sql(
        "CREATE SCHEMA app; "
            + PARENT
            + "CREATE TABLE app.child (_sync_scope_id TEXT NOT NULL, code TEXT NOT NULL, parent_id UUID,"
            + " PRIMARY KEY (_sync_scope_id, code), FOREIGN KEY (_sync_scope_id, parent_id)"
            + " REFERENCES app.parent (_sync_scope_id, id) DEFERRABLE INITIALLY IMMEDIATE);");
    List<RegisteredTable> tables = bootstrap("app.parent:id, APP.Child:Code");
    // table_id is the rank of "schema.table" in byte order.
    assertEquals("app.child", tables.get(0).spec().qualifiedName());
    assertEquals(1, tables.get(0).tableId());
    assertEquals(RegisteredTable.KeyKind.TEXT, tables.get(0).keyKind());
    assertEquals(2, tables.get(1).tableId());
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT protocol_label, layout_name FROM sync.meta")) {
      rs.next();
      assertEquals("v1", rs.getString(1));
      assertEquals("server_postgres_sync_v1", rs.getString(2));
    }
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_trigger WHERE tgname IN"
                    + " ('oversync_bundle_owner_guard', 'oversync_bundle_capture_row')")) {
      rs.next();
      assertEquals(4, rs.getInt(1));
    }
    // A second start validates the layout it finds and reinstalls the triggers.
    assertEquals(2, bootstrap("app.parent:id,app.child:code").size());
    // Registering another table set needs a fresh sync schema.
    String changed =
        assertThrows(UnsupportedSchemaException.class, () -> bootstrap("app.parent:id"))
            .getMessage();
    assertTrue(changed.contains("differ from sync.table_catalog"), changed);
    sql("UPDATE sync.meta SET layout_name = 'other'");
    assertTrue(
        assertThrows(
                UnsupportedSchemaException.class, () -> bootstrap("app.parent:id,app.child:code"))
            .getMessage()
            .contains("unsupported layout"));
  }

  @Test
  void aForeignSyncSchemaIsNotTouched() throws SQLException {
    sql("CREATE SCHEMA app; " + PARENT + " CREATE SCHEMA sync; CREATE TABLE sync.mine (x int);");
    String m =
        assertThrows(UnsupportedSchemaException.class, () -> bootstrap("app.parent:id"))
            .getMessage();
    assertTrue(m.contains("unsupported layout"), m);
  }

  @Test
  void keyColumnMustBeUuidOrText() throws SQLException {
    String m =
        refusal(
            "CREATE TABLE app.t (_sync_scope_id TEXT NOT NULL, id BIGINT NOT NULL, PRIMARY KEY (_sync_scope_id, id));",
            "app.t:id");
    assertEquals(
        "unsupported schema: app.t: sync key column id must be of type uuid or text, not int8", m);
  }

  @Test
  void keyColumnMayNotBeTheScope() throws SQLException {
    String m = refusal(PARENT, "app.parent:_sync_scope_id");
    assertTrue(m.contains("app.parent") && m.contains("may not be _sync_scope_id"), m);
  }

  @Test
  void exactlyOneKeyColumn() {
    assertThrows(UnsupportedSchemaException.class, () -> TableSpec.parseList("app.t"));
    assertThrows(UnsupportedSchemaException.class, () -> TableSpec.parseList("app.t:a+b"));
  }

  @Test
  void scopeColumnMustBeText() throws SQLException {
    String m =
        refusal(
            "CREATE TABLE app.t (_sync_scope_id UUID NOT NULL, id UUID NOT NULL, PRIMARY KEY (_sync_scope_id, id));",
            "app.t:id");
    assertTrue(
        m.contains("app.t") && m.contains("_sync_scope_id must exist and be of type text"), m);
  }

  @Test
  void tableMustExist() throws SQLException {
    String m = refusal("", "app.missing:id");
    assertTrue(m.contains("app.missing") && m.contains("does not exist"), m);
  }

  @Test
  void uniqueIndexesMustLeadWithTheScope() throws SQLException {
    String m =
        refusal(
            "CREATE TABLE app.t (_sync_scope_id TEXT NOT NULL, id UUID NOT NULL, email TEXT, PRIMARY KEY (_sync_scope_id, id), UNIQUE (email));",
            "app.t:id");
    assertTrue(
        m.contains("app.t") && m.contains("must have _sync_scope_id as its first column"), m);
  }

  @Test
  void uniqueIndexesMayNotBePartial() throws SQLException {
    String m =
        refusal(
            "CREATE TABLE app.t (_sync_scope_id TEXT NOT NULL, id UUID NOT NULL, PRIMARY KEY (_sync_scope_id, id));"
                + " CREATE UNIQUE INDEX t_partial ON app.t (_sync_scope_id, id) WHERE id IS NOT NULL;",
            "app.t:id");
    assertTrue(m.contains("t_partial must not be partial"), m);
  }

  @Test
  void uniqueIndexesMayNotUseExpressions() throws SQLException {
    String m =
        refusal(
            "CREATE TABLE app.t (_sync_scope_id TEXT NOT NULL, id UUID NOT NULL, name TEXT, PRIMARY KEY (_sync_scope_id, id));"
                + " CREATE UNIQUE INDEX t_expr ON app.t (_sync_scope_id, lower(name));",
            "app.t:id");
    assertTrue(m.contains("t_expr must not use expressions"), m);
  }

  @Test
  void scopeAndKeyNeedTheirOwnUniqueIndex() throws SQLException {
    String m =
        refusal(
            "CREATE TABLE app.t (_sync_scope_id TEXT NOT NULL, id UUID NOT NULL, other INT, PRIMARY KEY (_sync_scope_id, id, other));",
            "app.t:id");
    assertTrue(m.contains("a unique index on exactly (_sync_scope_id, id) is required"), m);
  }

  @Test
  void foreignKeysMustStayInsideTheRegisteredSet() throws SQLException {
    String m =
        refusal(
            PARENT
                + "CREATE TABLE app.t (_sync_scope_id TEXT NOT NULL, id UUID NOT NULL, p UUID, PRIMARY KEY (_sync_scope_id, id),"
                + " FOREIGN KEY (_sync_scope_id, p) REFERENCES app.parent (_sync_scope_id, id) DEFERRABLE);",
            "app.t:id");
    assertTrue(m.contains("not FK-closed") && m.contains("app.t") && m.contains("app.parent"), m);
  }

  @Test
  void foreignKeysMustBeScopeInclusive() throws SQLException {
    // Both columns, but the scope is not the first one.
    String m =
        refusal(
            PARENT
                + "CREATE TABLE app.t (_sync_scope_id TEXT NOT NULL, id UUID NOT NULL, p UUID,"
                + " PRIMARY KEY (_sync_scope_id, id), FOREIGN KEY (p, _sync_scope_id)"
                + " REFERENCES app.parent (id, _sync_scope_id) DEFERRABLE);",
            "app.t:id,app.parent:id");
    assertTrue(m.contains("must be scope-inclusive"), m);
  }

  @Test
  void foreignKeysMustBeDeferrable() throws SQLException {
    String m =
        refusal(
            PARENT
                + "CREATE TABLE app.t (_sync_scope_id TEXT NOT NULL, id UUID NOT NULL, p UUID, PRIMARY KEY (_sync_scope_id, id),"
                + " CONSTRAINT t_parent FOREIGN KEY (_sync_scope_id, p) REFERENCES app.parent (_sync_scope_id, id));",
            "app.t:id,app.parent:id");
    assertEquals("unsupported schema: app.t: foreign key t_parent must be DEFERRABLE", m);
  }

  @Test
  void foreignKeysMustMatchSimple() throws SQLException {
    String m =
        refusal(
            PARENT
                + "CREATE TABLE app.t (_sync_scope_id TEXT NOT NULL, id UUID NOT NULL, p UUID, PRIMARY KEY (_sync_scope_id, id),"
                + " CONSTRAINT t_parent FOREIGN KEY (_sync_scope_id, p) REFERENCES app.parent (_sync_scope_id, id) MATCH FULL DEFERRABLE);",
            "app.t:id,app.parent:id");
    assertTrue(m.contains("t_parent must use MATCH SIMPLE"), m);
  }

  String triggerDefinition(String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'oversync_bundle_capture_row'"
                    + " AND tgrelid = '"
                    + table
                    + "'::regclass")) {
      assertTrue(rs.next(), table);
      return rs.getString(1);
    }
  }

  @Test
  void captureTriggersHaveTheReferenceLayoutAndAnOlderLayoutIsUpgradedAtStart()
      throws SQLException {
    sql(
        "CREATE SCHEMA app; "
            + PARENT
            + "CREATE TABLE app.tag (_sync_scope_id TEXT NOT NULL, name TEXT NOT NULL,"
            + " PRIMARY KEY (_sync_scope_id, name));");
    bootstrap("app.parent:id,app.tag:name");
    // table_id by name order: app.parent = 1, app.tag = 2; kind 1 = uuid, 2 = text (§18.1).
    assertTrue(
        triggerDefinition("app.parent")
            .endsWith("EXECUTE FUNCTION sync.capture_registered_row_change('id', '1', '1')"),
        triggerDefinition("app.parent"));
    assertTrue(
        triggerDefinition("app.tag")
            .endsWith("EXECUTE FUNCTION sync.capture_registered_row_change('name', '2', '2')"),
        triggerDefinition("app.tag"));
    // A database bootstrapped by an earlier version of this server (kind spelled out) is brought
    // to the reference's form by the next start.
    sql(
        "DROP TRIGGER oversync_bundle_capture_row ON app.parent; CREATE TRIGGER"
            + " oversync_bundle_capture_row AFTER INSERT OR UPDATE OR DELETE ON app.parent FOR EACH ROW"
            + " EXECUTE FUNCTION sync.capture_registered_row_change('id', 'uuid', '1')");
    bootstrap("app.parent:id,app.tag:name");
    assertTrue(
        triggerDefinition("app.parent")
            .endsWith("EXECUTE FUNCTION sync.capture_registered_row_change('id', '1', '1')"),
        triggerDefinition("app.parent"));
  }

  @Test
  void writesInABundleContextSetUpByRawSqlAreCapturedWithReferenceKeyBytes() throws SQLException {
    sql(
        "CREATE SCHEMA app; "
            + PARENT
            + "CREATE TABLE app.tag (_sync_scope_id TEXT NOT NULL, name TEXT NOT NULL, color TEXT,"
            + " PRIMARY KEY (_sync_scope_id, name));");
    List<RegisteredTable> tables = bootstrap("app.parent:id,app.tag:name");
    // Outside a bundle context every write is refused, with the reference's message.
    SQLException refused =
        assertThrows(
            SQLException.class,
            () -> sql("INSERT INTO app.parent (id) VALUES ('" + UUID.randomUUID() + "')"));
    assertTrue(
        refused
            .getMessage()
            .contains("write to registered table app.parent requires oversync sync bundle context"),
        refused.getMessage());

    // Reference tooling (WithinSyncBundle) opens a transaction, sets the transaction-local GUCs of
    // §18.4 and writes with plain SQL.
    UUID first = UUID.randomUUID();
    UUID moved = UUID.randomUUID();
    c.setAutoCommit(false);
    long userPk;
    try (Statement s = c.createStatement()) {
      s.execute("INSERT INTO sync.user_state (user_id) VALUES ('alice')");
      try (ResultSet rs =
          s.executeQuery("SELECT user_pk FROM sync.user_state WHERE user_id = 'alice'")) {
        rs.next();
        userPk = rs.getLong(1);
      }
      s.execute(
          "SELECT set_config('oversync.bundle_user_id', 'alice', true),"
              + " set_config('oversync.bundle_user_pk', '"
              + userPk
              + "', true), set_config('oversync.bundle_source_id', 'tool', true),"
              + " set_config('oversync.bundle_source_bundle_id', '1', true)");
      s.execute("INSERT INTO app.parent (id) VALUES ('" + first + "')");
      s.execute("UPDATE app.parent SET id = '" + moved + "' WHERE id = '" + first + "'");
      s.execute("INSERT INTO app.tag (name, color) VALUES ('grün', 'red')");
      s.execute("UPDATE app.tag SET color = 'blue' WHERE name = 'grün'");
      // Owner stamped from the context.
      try (ResultSet rs = s.executeQuery("SELECT _sync_scope_id FROM app.tag")) {
        rs.next();
        assertEquals("alice", rs.getString(1));
      }
      List<String> staged = new java.util.ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT table_id, op_code, encode(key_bytes, 'hex') FROM sync.bundle_capture_stage"
                  + " WHERE txid = txid_current() ORDER BY capture_ordinal")) {
        while (rs.next()) {
          staged.add(rs.getInt(1) + ":" + rs.getInt(2) + ":" + rs.getString(3));
        }
      }
      String hexFirst = first.toString().replace("-", "");
      String hexMoved = moved.toString().replace("-", "");
      String hexTag = java.util.HexFormat.of().formatHex("grün".getBytes(StandardCharsets.UTF_8));
      assertEquals(
          List.of(
              "1:1:" + hexFirst,
              "1:3:" + hexFirst,
              "1:1:" + hexMoved,
              "2:1:" + hexTag,
              "2:2:" + hexTag),
          staged);

      Bundle bundle =
          BundleFinalizer.finalizeBundle(c, userPk, "tool", 1, id -> tables.get(id - 1), null);
      assertEquals(1, bundle.bundleSeq());
      c.commit();
    } finally {
      c.setAutoCommit(true);
    }
    // The finalized bundle holds the moved row as an insert under its 16-byte key, and the tag.
    List<String> rows = new java.util.ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT table_id, op_code, key_bytes FROM sync.bundle_rows ORDER BY row_ordinal")) {
      while (rs.next()) {
        RegisteredTable t = tables.get(rs.getInt(1) - 1);
        rows.add(t.table() + ":" + rs.getInt(2) + ":" + BundleRow.keyText(t, rs.getBytes(3)));
      }
    }
    assertEquals(List.of("parent:1:" + moved, "tag:1:grün"), rows);
  }
}
