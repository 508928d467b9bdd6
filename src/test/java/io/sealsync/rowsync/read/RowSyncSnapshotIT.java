package io.sealsync.rowsync.read;

import static io.sealsync.rowsync.SyncClient.row;
import static io.sealsync.rowsync.SyncClient.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.rowsync.SyncClient;
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

/** Snapshot sessions and source rotation over HTTP (rowsync.md §14). */
@ExtendWith(ArquillianExtension.class)
class RowSyncSnapshotIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;

  SyncClient initialized(String source) {
    SyncClient c = new SyncClient(base, "snap-" + UUID.randomUUID(), source);
    assertEquals("initialize_empty", c.connect(false).json().getString("resolution"));
    return c;
  }

  @Test
  void usersCreatingSnapshotsAtOnceAllSucceedAndExpiredSessionsAreSweptInTheBackground()
      throws Exception {
    SyncClient old = initialized("old");
    old.push(1, List.of(tag("o", "INSERT", 0, "c")));
    List<String> stale = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      stale.add(old.send("POST", "/sync/snapshot-sessions", null).json().getString("snapshot_id"));
    }
    expire(stale);
    SyncClient a = initialized("a");
    SyncClient b = initialized("b");
    a.push(1, List.of(tag("a", "INSERT", 0, "c")));
    b.push(1, List.of(tag("b", "INSERT", 0, "c")));
    List<java.util.concurrent.CompletableFuture<Http.Reply>> creates = new ArrayList<>();
    for (int round = 0; round < 6; round++) {
      for (SyncClient c : List.of(a, b)) {
        creates.add(
            java.util.concurrent.CompletableFuture.supplyAsync(
                () -> c.send("POST", "/sync/snapshot-sessions", null)));
      }
    }
    for (var create : creates) {
      Http.Reply r = create.get();
      assertEquals(200, r.status(), r.text());
      assertEquals(1, r.json().getInt("row_count"));
    }
    // The test servers sweep every second (pom.xml) what expired more than 5 minutes ago.
    long deadline = System.currentTimeMillis() + 15_000;
    while (remaining(stale) > 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
    }
    assertEquals(0, remaining(stale));
  }

  @Test
  void rowStateThatDisagreesWithTheRowsFailsTheCreateWithItsCodeAndKeepsNoSession()
      throws Exception {
    SyncClient c = initialized("dev");
    c.push(1, List.of(tag("kept-" + UUID.randomUUID(), "INSERT", 0, "c")));
    // Damage that only an operator's SQL can do: the row stays, its row state goes.
    try (Connection db = TestDatabase.connect();
        PreparedStatement ps =
            db.prepareStatement(
                "DELETE FROM sync.row_state WHERE user_pk ="
                    + " (SELECT user_pk FROM sync.user_state WHERE user_id = ?)")) {
      ps.setString(1, c.user);
      assertEquals(1, ps.executeUpdate());
    }
    Http.Reply r = c.send("POST", "/sync/snapshot-sessions", null);
    assertEquals(500, r.status(), r.text());
    assertEquals("snapshot_session_create_failed", r.error());
    try (Connection db = TestDatabase.connect();
        PreparedStatement ps =
            db.prepareStatement(
                "SELECT count(*) FROM sync.snapshot_sessions WHERE user_pk ="
                    + " (SELECT user_pk FROM sync.user_state WHERE user_id = ?)")) {
      ps.setString(1, c.user);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertEquals(0, rs.getLong(1), "the failed create rolled back");
      }
    }
  }

  private static void expire(List<String> snapshotIds) throws SQLException {
    try (Connection db = TestDatabase.connect();
        PreparedStatement ps =
            db.prepareStatement(
                "UPDATE sync.snapshot_sessions SET expires_at = now() - interval '1 hour'"
                    + " WHERE snapshot_id = ANY (?::uuid[])")) {
      ps.setArray(1, db.createArrayOf("text", snapshotIds.toArray()));
      assertEquals(snapshotIds.size(), ps.executeUpdate());
    }
  }

  private static long remaining(List<String> snapshotIds) throws SQLException {
    try (Connection db = TestDatabase.connect();
        PreparedStatement ps =
            db.prepareStatement(
                "SELECT count(*) FROM sync.snapshot_sessions WHERE snapshot_id = ANY (?::uuid[])")) {
      ps.setArray(1, db.createArrayOf("text", snapshotIds.toArray()));
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void aFrozenSnapshotPagesByCountConsumedCursor() {
    SyncClient c = initialized("dev");
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      rows.add(tag(String.format("tag-%04d", i), "INSERT", 0, "c" + i));
    }
    c.push(1, rows.subList(0, 1500));
    c.push(2, rows.subList(1500, 3000));
    String team = UUID.randomUUID().toString();
    String user = UUID.randomUUID().toString();
    String post = UUID.randomUUID().toString();
    String file = UUID.randomUUID().toString();
    c.push(
        3,
        List.of(
            row("teams", "id", team, "INSERT", 0, "{\"name\":\"t\"}"),
            row("users", "id", user, "INSERT", 0, "{\"email\":\"e\",\"team_id\":\"" + team + "\"}"),
            row(
                "posts",
                "id",
                post,
                "INSERT",
                0,
                "{\"author_id\":\"" + user + "\",\"title\":\"p\"}"),
            row(
                "files",
                "id",
                file,
                "INSERT",
                0,
                "{\"post_id\":\""
                    + post
                    + "\",\"name\":\"f\",\"content\":\""
                    + "QUJD".repeat(40)
                    + "\"}"),
            tag("tag-0000", "DELETE", 1, null)));

    JsonObject session = c.send("POST", "/sync/snapshot-sessions", null).json();
    assertEquals(3, session.getInt("snapshot_bundle_seq"));
    assertEquals(3003, session.getInt("row_count"));
    assertTrue(session.getJsonNumber("byte_count").longValue() > 0);
    assertTrue(session.getString("expires_at").endsWith("Z"));
    String id = session.getString("snapshot_id");
    // A commit after the snapshot does not change it.
    c.push(4, List.of(tag("after-snapshot", "INSERT", 0, null)));

    List<JsonObject> all = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonObject page =
          c.send("GET", "/sync/snapshot-sessions/" + id + "?after_row_ordinal=" + after, null)
              .json();
      JsonArray pageRows = page.getJsonArray("rows");
      assertEquals(after + pageRows.size(), page.getInt("next_row_ordinal"));
      assertEquals(3, page.getInt("snapshot_bundle_seq"));
      all.addAll(pageRows.getValuesAs(JsonObject.class));
      after = page.getInt("next_row_ordinal");
      if (!page.getBoolean("has_more")) {
        break;
      }
      assertEquals(1000, pageRows.size());
    }
    assertEquals(3003, all.size());
    // Ordered by table id (files, posts, tags, teams, users), then key bytes.
    assertEquals("files", all.get(0).getString("table"));
    assertEquals("QUJD".repeat(40), all.get(0).getJsonObject("payload").getString("content"));
    assertEquals("posts", all.get(1).getString("table"));
    assertEquals("tag-0001", all.get(2).getJsonObject("key").getString("name"));
    assertEquals(1, all.get(2).getInt("row_version"));
    assertEquals("tag-1500", all.get(1501).getJsonObject("key").getString("name"));
    assertEquals(2, all.get(1501).getInt("row_version"));
    assertEquals("users", all.get(3002).getString("table"));
    assertEquals(3, all.get(3002).getInt("row_version"));
    assertFalse(
        all.stream().anyMatch(r -> r.getJsonObject("key").toString().contains("after-snapshot")));

    assertEquals(
        200,
        c.send("GET", "/sync/snapshot-sessions/" + id + "?after_row_ordinal=3003", null).status());
    assertEquals(
        "snapshot_chunk_invalid",
        c.send("GET", "/sync/snapshot-sessions/" + id + "?max_rows=0", null).error());
    assertEquals(204, c.send("DELETE", "/sync/snapshot-sessions/" + id, null).status());
    assertEquals(
        "snapshot_session_not_found", c.send("GET", "/sync/snapshot-sessions/" + id, null).error());
  }

  @Test
  void sessionsBelongToTheirUserAndExpire() throws SQLException {
    SyncClient alice = initialized("a");
    SyncClient bob = initialized("b");
    alice.push(1, List.of(tag("x", "INSERT", 0, null)));
    String id = alice.send("POST", "/sync/snapshot-sessions", null).json().getString("snapshot_id");
    assertEquals(
        "snapshot_session_forbidden",
        bob.send("GET", "/sync/snapshot-sessions/" + id, null).error());
    assertEquals(403, bob.send("DELETE", "/sync/snapshot-sessions/" + id, null).status());
    assertEquals(
        "snapshot_session_not_found",
        alice.send("GET", "/sync/snapshot-sessions/not-a-uuid", null).error());
    try (Connection db = TestDatabase.connect();
        PreparedStatement ps =
            db.prepareStatement(
                "UPDATE sync.snapshot_sessions SET expires_at = now() - interval '1 second' WHERE snapshot_id = ?::uuid")) {
      ps.setString(1, id);
      ps.executeUpdate();
    }
    assertEquals(410, alice.send("GET", "/sync/snapshot-sessions/" + id, null).status());
    // An expired session can still be deleted.
    assertEquals(204, alice.send("DELETE", "/sync/snapshot-sessions/" + id, null).status());
    SyncClient stranger = new SyncClient(base, "never-" + UUID.randomUUID(), "s");
    assertEquals(
        "scope_uninitialized", stranger.send("POST", "/sync/snapshot-sessions", null).error());
    assertEquals(
        "snapshot_session_invalid",
        alice.send("POST", "/sync/snapshot-sessions", "{\"surprise\":1}").error());
    assertEquals(
        "snapshot_session_invalid", alice.send("POST", "/sync/snapshot-sessions", "{} {}").error());
  }

  @Test
  void sourceRotationEndToEnd() {
    SyncClient old = initialized("old-source");
    old.push(1, List.of(tag("a", "INSERT", 0, null)));
    String rotate =
        "{\"source_replacement\":{\"previous_source_id\":\"old-source\",\"new_source_id\":\"new-source\","
            + "\"reason\":\"history_pruned\"}}";
    Http.Reply first = old.send("POST", "/sync/snapshot-sessions", rotate);
    assertEquals(200, first.status(), first.text());
    assertEquals(1, first.json().getInt("row_count"));
    // Idempotent repeat of the same rotation.
    assertEquals(200, old.send("POST", "/sync/snapshot-sessions", rotate).status());

    Http.Reply retired = old.create(2, 1, null);
    assertEquals(409, retired.status());
    assertEquals("source_retired", retired.error());
    assertEquals("old-source", retired.json().getString("source_id"));
    assertEquals("new-source", retired.json().getString("replaced_by_source_id"));

    SyncClient rotated = new SyncClient(base, old.user, "new-source");
    JsonObject commit = rotated.push(1, List.of(tag("b", "INSERT", 0, null)));
    assertEquals("new-source", commit.getString("source_id"));
    assertEquals(1, commit.getInt("source_bundle_id"));

    // Rotating the old source again to another id is refused; so is rotating onto a live source.
    String elsewhere = rotate.replace("new-source", "third-source");
    assertEquals("source_retired", old.send("POST", "/sync/snapshot-sessions", elsewhere).error());
    String ontoActive =
        "{\"source_replacement\":{\"previous_source_id\":\"new-source\",\"new_source_id\":\"old-source\","
            + "\"reason\":\"source_retired\"}}";
    assertEquals(
        "source_replacement_invalid",
        rotated.send("POST", "/sync/snapshot-sessions", ontoActive).error());
    String notMine =
        rotate.replace(
            "\"previous_source_id\":\"old-source\"", "\"previous_source_id\":\"someone\"");
    assertEquals(
        "snapshot_session_invalid", old.send("POST", "/sync/snapshot-sessions", notMine).error());
    assertEquals(
        "snapshot_session_invalid",
        old.send("POST", "/sync/snapshot-sessions", rotate.replace("history_pruned", "boredom"))
            .error());
  }
}
