package io.sealsync.rowsync.read;

import static io.sealsync.rowsync.SyncClient.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.rowsync.SyncClient;
import io.sealsync.rowsync.push.BundleFinalizer;
import io.sealsync.rowsync.schema.RegisteredTable;
import io.sealsync.rowsync.schema.SyncSchemaBootstrap;
import io.sealsync.rowsync.schema.TableSpec;
import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.TestDatabase;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pull over HTTP: devices of one user see each other's bundles, complete and in order. */
@ExtendWith(ArquillianExtension.class)
class RowSyncPullIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;

  JsonObject pull(SyncClient c, String query) {
    Http.Reply r = c.send("GET", "/sync/pull" + (query == null ? "" : "?" + query), null);
    assertEquals(200, r.status(), r.text());
    return r.json();
  }

  /**
   * Reference tooling shares the database: it sets the bundle context with plain SQL (§18.4),
   * writes registered tables with plain SQL, and finalizes the captured rows into a bundle. The
   * server's triggers must stage what that finalize reads (uuid keys as 16 raw bytes), and the
   * bundle reaches the user's devices by pull.
   */
  @Test
  void aBundleWrittenWithRawSqlInAReferenceStyleContextArrivesByPull() throws SQLException {
    String user = "tooling-" + UUID.randomUUID();
    SyncClient device = new SyncClient(base, user, "device");
    assertEquals("initialize_empty", device.connect(false).json().getString("resolution"));
    String team = UUID.randomUUID().toString();
    try (Connection db = TestDatabase.connect()) {
      // What a second node or the reference's bootstrap does at start: validate, reinstall.
      List<RegisteredTable> tables =
          new SyncSchemaBootstrap(
                  TableSpec.parseList(
                      "demo.teams:id,demo.users:id,demo.posts:id,demo.files:id,demo.tags:name"))
              .run(db);
      db.setAutoCommit(false);
      long userPk;
      try (PreparedStatement ps =
          db.prepareStatement("SELECT user_pk FROM sync.user_state WHERE user_id = ?")) {
        ps.setString(1, user);
        try (var rs = ps.executeQuery()) {
          rs.next();
          userPk = rs.getLong(1);
        }
      }
      try (PreparedStatement ps =
          db.prepareStatement(
              "SELECT set_config('oversync.bundle_user_id', ?, true),"
                  + " set_config('oversync.bundle_user_pk', ?, true),"
                  + " set_config('oversync.bundle_source_id', 'tooling', true),"
                  + " set_config('oversync.bundle_source_bundle_id', '1', true)")) {
        ps.setString(1, user);
        ps.setString(2, Long.toString(userPk));
        ps.execute();
      }
      try (PreparedStatement ps =
          db.prepareStatement("INSERT INTO demo.teams (id, name) VALUES (?::uuid, 'ops')")) {
        ps.setString(1, team);
        ps.executeUpdate();
      }
      try (var s = db.createStatement();
          var rs =
              s.executeQuery(
                  "SELECT octet_length(key_bytes) FROM sync.bundle_capture_stage"
                      + " WHERE txid = txid_current()")) {
        rs.next();
        assertEquals(16, rs.getInt(1), "a uuid key is staged as its 16 raw bytes");
      }
      BundleFinalizer.finalizeBundle(db, userPk, "tooling", 1, id -> tables.get(id - 1), null);
      db.commit();
    }
    JsonObject page = pull(device, "after_bundle_seq=0");
    JsonObject bundle = page.getJsonArray("bundles").getJsonObject(0);
    assertEquals("tooling", bundle.getString("source_id"));
    JsonObject row = bundle.getJsonArray("rows").getJsonObject(0);
    assertEquals("teams", row.getString("table"));
    assertEquals(team, row.getJsonObject("key").getString("id"));
    assertEquals("ops", row.getJsonObject("payload").getString("name"));
  }

  @Test
  void twoDevicesSeeEachOthersChanges() {
    String user = "pull-" + UUID.randomUUID();
    SyncClient phone = new SyncClient(base, user, "phone");
    SyncClient laptop = new SyncClient(base, user, "laptop");
    assertEquals("initialize_empty", phone.connect(false).json().getString("resolution"));
    assertEquals("remote_authoritative", laptop.connect(false).json().getString("resolution"));
    JsonObject pushed = phone.push(1, List.of(tag("groceries", "INSERT", 0, "green")));

    JsonObject page = pull(laptop, "after_bundle_seq=0");
    assertEquals(1, page.getInt("stable_bundle_seq"));
    assertFalse(page.getBoolean("has_more"));
    JsonObject bundle = page.getJsonArray("bundles").getJsonObject(0);
    assertEquals("phone", bundle.getString("source_id"));
    assertEquals(pushed.getString("bundle_hash"), bundle.getString("bundle_hash"));
    JsonObject row = bundle.getJsonArray("rows").getJsonObject(0);
    assertEquals("demo", row.getString("schema"));
    assertEquals(1, row.getInt("row_version"));

    // The laptop edits what it pulled, with the version it saw; the phone pulls that.
    laptop.push(1, List.of(tag("groceries", "UPDATE", row.getInt("row_version"), "blue")));
    JsonObject back = pull(phone, "after_bundle_seq=1");
    assertEquals(2, back.getInt("stable_bundle_seq"));
    JsonObject update = back.getJsonArray("bundles").getJsonObject(0);
    assertEquals("laptop", update.getString("source_id"));
    assertEquals(
        "{\"color\":\"blue\",\"name\":\"groceries\"}",
        update.getJsonArray("rows").getJsonObject(0).getJsonObject("payload").toString());
    assertEquals(
        "{\"stable_bundle_seq\":2,\"bundles\":[],\"has_more\":false}",
        phone.send("GET", "/sync/pull?after_bundle_seq=2", null).text());
  }

  @Test
  void pagesStayOnTheFrozenTargetWhileNewBundlesCommit() {
    SyncClient c = new SyncClient(base, "frozen-" + UUID.randomUUID(), "dev");
    c.connect(false);
    for (int i = 1; i <= 5; i++) {
      List<String> rows = new ArrayList<>();
      for (int r = 0; r < i; r++) {
        rows.add(tag("b" + i + "-r" + r, "INSERT", 0, null));
      }
      c.push(i, rows);
    }
    JsonObject first = pull(c, "after_bundle_seq=0&max_bundles=2");
    assertEquals(5, first.getInt("stable_bundle_seq"));
    assertTrue(first.getBoolean("has_more"));
    assertEquals(2, first.getJsonArray("bundles").size());
    // Bundles are complete, whatever their size.
    assertEquals(2, first.getJsonArray("bundles").getJsonObject(1).getJsonArray("rows").size());
    c.push(6, List.of(tag("late", "INSERT", 0, null)));
    JsonObject second = pull(c, "after_bundle_seq=2&max_bundles=2&target_bundle_seq=5");
    assertEquals(5, second.getInt("stable_bundle_seq"));
    assertTrue(second.getBoolean("has_more"));
    JsonObject third = pull(c, "after_bundle_seq=4&max_bundles=2&target_bundle_seq=5");
    JsonArray last = third.getJsonArray("bundles");
    assertEquals(1, last.size());
    assertEquals(5, last.getJsonObject(0).getInt("bundle_seq"));
    assertEquals(5, last.getJsonObject(0).getInt("row_count"));
    assertFalse(third.getBoolean("has_more"));
    // A new pull sees the sixth.
    assertEquals(6, pull(c, "after_bundle_seq=5").getInt("stable_bundle_seq"));
  }

  @Test
  void prunedHistoryAndScopeStates() throws SQLException {
    SyncClient c = new SyncClient(base, "pruned-" + UUID.randomUUID(), "dev");
    // A user who never connected has nothing yet.
    assertEquals(
        "{\"stable_bundle_seq\":0,\"bundles\":[],\"has_more\":false}",
        c.send("GET", "/sync/pull", null).text());
    assertEquals("initialize_local", c.connect(true).json().getString("resolution"));
    assertEquals("scope_initializing", c.send("GET", "/sync/pull", null).error());
    c.connect(false);
    c.push(1, List.of(tag("a", "INSERT", 0, null)));
    c.push(2, List.of(tag("b", "INSERT", 0, null)));
    c.push(3, List.of(tag("c", "INSERT", 0, null)));
    try (Connection db = TestDatabase.connect();
        PreparedStatement ps =
            db.prepareStatement(
                "UPDATE sync.user_state SET retained_bundle_floor = 2 WHERE user_id = ?")) {
      ps.setString(1, c.user);
      ps.executeUpdate();
    }
    long before =
        c.send("GET", "/syncx/status", null)
            .json()
            .getJsonNumber("history_pruned_error_count")
            .longValue();
    Http.Reply pruned = c.send("GET", "/sync/pull?after_bundle_seq=1", null);
    assertEquals(409, pruned.status());
    assertEquals("history_pruned", pruned.error());
    assertEquals(
        "history_pruned",
        c.send("GET", "/sync/pull?after_bundle_seq=5&target_bundle_seq=2", null).error());
    assertEquals(
        before + 2,
        c.send("GET", "/syncx/status", null)
            .json()
            .getJsonNumber("history_pruned_error_count")
            .longValue());
    // after_bundle_seq=0 is never pruned: it starts above the floor.
    JsonArray bundles = pull(c, "after_bundle_seq=0").getJsonArray("bundles");
    assertEquals(1, bundles.size());
    assertEquals(3, bundles.getJsonObject(0).getInt("bundle_seq"));
  }

  @Test
  void parametersAreValidated() {
    SyncClient c = new SyncClient(base, "params-" + UUID.randomUUID(), "dev");
    c.connect(false);
    for (String q :
        List.of(
            "after_bundle_seq=-1",
            "max_bundles=0",
            "max_bundles=5001",
            "after_bundle_seq=x",
            "target_bundle_seq=-3")) {
      Http.Reply r = c.send("GET", "/sync/pull?" + q, null);
      assertEquals(400, r.status(), q);
      assertEquals("invalid_request", r.error(), q);
    }
    assertEquals(200, c.send("GET", "/sync/pull?max_bundles=5000", null).status());
  }

  @Test
  void serverOriginatedWritesReachEveryDevice() {
    String user = "crm-" + UUID.randomUUID();
    Http http = new Http(base);
    String body =
        "{\"writer_id\":\"admin:crm\",\"rows\":["
            + tag("from-crm", "INSERT", 0, "gold")
            + ","
            + tag("second", "INSERT", 0, null)
            + "]}";
    // Integrations need the operator role.
    assertEquals(
        401,
        http.send("POST", "/admin/rowsync/users/" + user + "/writes", null, body.getBytes())
            .status());
    Http.Reply written = http.admin("POST", "/admin/rowsync/users/" + user + "/writes", body);
    assertEquals(200, written.status(), written.text());
    // The write initialized the user's empty scope and produced an ordinary bundle.
    assertTrue(written.json().getBoolean("scope_initialized"));
    JsonObject bundle = written.json().getJsonObject("bundle");
    assertEquals(1, bundle.getInt("bundle_seq"));
    assertEquals("admin:crm", bundle.getString("source_id"));
    assertEquals(1, bundle.getInt("source_bundle_id"));
    assertEquals(2, bundle.getJsonArray("rows").size());

    SyncClient device = new SyncClient(base, user, "phone");
    assertEquals("remote_authoritative", device.connect(true).json().getString("resolution"));
    JsonObject pulled = pull(device, "after_bundle_seq=0").getJsonArray("bundles").getJsonObject(0);
    assertEquals(bundle.getString("bundle_hash"), pulled.getString("bundle_hash"));
    assertEquals(
        "gold",
        pulled.getJsonArray("rows").getJsonObject(0).getJsonObject("payload").getString("color"));

    // The next write of the same writer is its bundle 2; a write that changes nothing keeps
    // nothing.
    Http.Reply next =
        http.admin(
            "POST",
            "/admin/rowsync/users/" + user + "/writes",
            "{\"writer_id\":\"admin:crm\",\"rows\":[" + tag("second", "DELETE", 0, null) + "]}");
    assertEquals(2, next.json().getJsonObject("bundle").getInt("source_bundle_id"));
    String fresh = "fresh-" + UUID.randomUUID();
    Http.Reply nothing =
        http.admin(
            "POST",
            "/admin/rowsync/users/" + fresh + "/writes",
            "{\"writer_id\":\"admin:crm\",\"rows\":[" + tag("ghost", "DELETE", 0, null) + "]}");
    assertEquals(400, nothing.status());
    assertEquals("no_captured_changes", nothing.error());
    // ...not even the scope initialization.
    assertEquals(
        "initialize_empty",
        new SyncClient(base, fresh, "d").connect(false).json().getString("resolution"));
    assertEquals(
        "invalid_request",
        http.admin("POST", "/admin/rowsync/users/" + user + "/writes", "{\"rows\":[]}").error());
  }
}
