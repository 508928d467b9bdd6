package io.sealsync.rowsync.push;

import static io.sealsync.rowsync.SyncClient.row;
import static io.sealsync.rowsync.SyncClient.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.rowsync.SyncClient;
import io.sealsync.rowsync.codec.CanonicalJson;
import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.Jwts;
import io.sealsync.testsupport.TestDatabase;
import jakarta.json.JsonObject;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Row sync I over HTTP: identity, connect leases, push sessions, conflicts, recovery reads. */
@ExtendWith(ArquillianExtension.class)
class RowSyncPushIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;

  SyncClient device(String user, String source) {
    return new SyncClient(base, user, source);
  }

  /** A user whose scope is initialized (an empty first connect). */
  SyncClient initialized() {
    SyncClient c = device("user-" + UUID.randomUUID(), "src-" + UUID.randomUUID());
    assertEquals("initialize_empty", c.connect(false).json().getString("resolution"));
    return c;
  }

  static String uuid() {
    return UUID.randomUUID().toString();
  }

  @Test
  void identityAndSourceAreRequired() {
    SyncClient c = device("alice-" + uuid(), "laptop");
    // Host authentication comes first, with the reference host's text/plain bodies.
    Http.Reply anonymous = c.send("GET", "/sync/capabilities", null, null, null);
    assertEquals(401, anonymous.status());
    assertTrue(anonymous.contentType().startsWith("text/plain"), anonymous.contentType());
    assertEquals("Authorization header required", anonymous.text());
    // Not a bearer token: 401 (WildFly's container answers it itself, having tried the Basic
    // credentials against its realm for the operator API's login configuration).
    assertEquals(
        401, c.send("POST", "/sync/connect", "{}", "Basic YWRtaW46eA==", "laptop").status());
    Http.Reply malformed = c.send("POST", "/sync/connect", "{}", "Token abc", "laptop");
    assertEquals(401, malformed.status());
    assertEquals("Invalid authorization header format", malformed.text());
    for (String foreign :
        List.of(
            Jwts.sign("x", "sealsync-dev", "another-secret-another-secret-another-secret"),
            Jwts.sign("x", "another-issuer", Jwts.SHARED_KEY),
            // An agent-state key is no user token.
            "sov_live_" + uuid().replace("-", ""))) {
      Http.Reply refused = c.send("GET", "/sync/capabilities", null, "Bearer " + foreign, "laptop");
      assertEquals(401, refused.status());
      assertEquals("Invalid token", refused.text());
    }
    Http.Reply noSource = c.send("GET", "/sync/capabilities", null, "Bearer " + c.token, null);
    assertEquals(400, noSource.status());
    assertEquals("invalid_request", noSource.error());
    assertEquals("Oversync-Source-ID header is required", noSource.json().getString("message"));
    assertEquals(400, c.send("POST", "/sync/connect", null, "Bearer " + c.token, "  ").status());
    // A signed token whose user id no scope can be stored under is the client's error.
    for (String user : List.of("u".repeat(600), "nul\u0000user")) {
      Http.Reply unstorable =
          c.send("POST", "/sync/connect", "{}", "Bearer " + Jwts.forUser(user), "laptop");
      assertEquals(400, unstorable.status(), unstorable.text());
      assertEquals("invalid_request", unstorable.error());
    }
  }

  @Test
  void capabilitiesAdvertiseWhatWorks() {
    JsonObject caps = device("u-" + uuid(), "s").send("GET", "/sync/capabilities", null).json();
    assertEquals("v1", caps.getString("protocol_version"));
    JsonObject features = caps.getJsonObject("features");
    assertEquals(20, features.size());
    assertTrue(features.getBoolean("connect_lifecycle"));
    assertTrue(features.getBoolean("bundle_push"));
    assertTrue(features.getBoolean("bundle_pull"));
    assertTrue(features.getBoolean("snapshot_chunking"));
    assertTrue(features.getBoolean("bundle_change_watch"));
    assertTrue(features.getBoolean("graceful_shutdown"));
    assertEquals(
        "[\"demo.files\",\"demo.posts\",\"demo.tags\",\"demo.teams\",\"demo.users\"]",
        caps.getJsonArray("registered_tables").toString());
    assertEquals(5000, caps.getJsonObject("bundle_limits").getInt("max_rows_per_push_chunk"));
    // The lease the server enforces (the test servers set 10m, pom.xml), not the default.
    assertEquals(
        600, caps.getJsonObject("bundle_limits").getInt("initialization_lease_ttl_seconds"));
    JsonObject status = device("u", "s").send("GET", "/syncx/health", null, null, null).json();
    assertEquals("healthy", status.getString("status"));
    assertEquals("running", status.getString("lifecycle"));
    assertTrue(status.getBoolean("accepting_operations"));
  }

  @Test
  void aCommitThatHitsASerializationFailureIsRetriedAndCommitsOnce() throws Exception {
    String marker = "fault-" + UUID.randomUUID();
    String seq = "fault_" + marker.substring(6).replace("-", "");
    // The first write of the marked row fails as a serialization failure would (SQLSTATE 40001);
    // the sequence survives the rollback, so the next attempt passes.
    try (Connection db = TestDatabase.connect();
        Statement s = db.createStatement()) {
      s.execute("CREATE SEQUENCE " + seq);
      s.execute(
          "CREATE FUNCTION demo."
              + seq
              + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
              + " IF NEW.name = '"
              + marker
              + "' AND nextval('"
              + seq
              + "') = 1 THEN RAISE EXCEPTION 'injected' USING ERRCODE = '40001'; END IF;"
              + " RETURN NEW; END $$");
      s.execute(
          "CREATE TRIGGER "
              + seq
              + " BEFORE INSERT ON demo.tags FOR EACH ROW EXECUTE FUNCTION demo."
              + seq
              + "()");
    }
    try {
      SyncClient c = device("fault-" + uuid(), "dev");
      c.connect(false);
      JsonObject committed = c.push(1, List.of(tag(marker, "INSERT", 0, "red")));
      assertEquals(1, committed.getInt("bundle_seq"));
      try (Connection db = TestDatabase.connect();
          Statement s = db.createStatement();
          java.sql.ResultSet rs = s.executeQuery("SELECT last_value FROM " + seq)) {
        rs.next();
        assertEquals(2, rs.getLong(1), "one failed attempt, one that committed");
      }
      JsonObject page = c.send("GET", "/sync/pull?after_bundle_seq=0", null).json();
      assertEquals(1, page.getJsonArray("bundles").size());
      assertEquals(1, page.getJsonArray("bundles").getJsonObject(0).getJsonArray("rows").size());
    } finally {
      try (Connection db = TestDatabase.connect();
          Statement s = db.createStatement()) {
        s.execute("DROP TRIGGER " + seq + " ON demo.tags");
        s.execute("DROP FUNCTION demo." + seq + "()");
        s.execute("DROP SEQUENCE " + seq);
      }
    }
  }

  @Test
  void connectStateMachine() throws Exception {
    String user = "user-" + uuid();
    SyncClient a = device(user, "device-a");
    SyncClient b = device(user, "device-b");
    JsonObject local = a.connect(true).json();
    assertEquals("initialize_local", local.getString("resolution"));
    String initId = local.getString("initialization_id");
    // The test servers set sealsync.rowsync.initialization-lease-ttl=10m (pom.xml).
    java.time.Duration lease =
        java.time.Duration.between(
            java.time.Instant.now(), java.time.Instant.parse(local.getString("lease_expires_at")));
    assertTrue(lease.toSeconds() > 540 && lease.toSeconds() <= 605, "lease " + lease);
    // The same source reconnecting keeps its lease and id.
    assertEquals(initId, a.connect(true).json().getString("initialization_id"));
    // Another source must wait.
    JsonObject later = b.connect(true).json();
    assertEquals("retry_later", later.getString("resolution"));
    assertTrue(
        later.getInt("retry_after_seconds") > 540 && later.getInt("retry_after_seconds") <= 600,
        later.toString());
    assertEquals("retry_later", b.connect(false).json().getString("resolution"));
    // The lease expires: the other source takes over.
    try (Connection c = TestDatabase.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE sync.scope_state SET lease_expires_at = now() - interval '1 second'"
                    + " WHERE user_pk = (SELECT user_pk FROM sync.user_state WHERE user_id = ?)")) {
      ps.setString(1, user);
      assertEquals(1, ps.executeUpdate());
    }
    JsonObject taken = b.connect(true).json();
    assertEquals("initialize_local", taken.getString("resolution"));
    assertNotEquals(initId, taken.getString("initialization_id"));
    // A push under the old lease is now stale; under the new one it initializes the scope.
    assertEquals("initialization_stale", a.create(1, 1, initId).error());
    assertEquals("push_session_invalid", b.create(1, 1, null).error());
    Http.Reply created = b.create(1, 1, taken.getString("initialization_id"));
    assertEquals(200, created.status(), created.text());
    String pushId = created.json().getString("push_id");
    assertEquals(200, b.chunk(pushId, 0, List.of(tag("first", "INSERT", 0, "red"))).status());
    assertEquals(200, b.commit(pushId).status());
    assertEquals("remote_authoritative", a.connect(true).json().getString("resolution"));
    assertEquals("remote_authoritative", b.connect(false).json().getString("resolution"));
    assertEquals(
        "push_session_invalid", b.create(2, 1, taken.getString("initialization_id")).error());
  }

  @Test
  void twoSourcesRacingForTheLeaseGetOneLease() throws Exception {
    String user = "race-" + uuid();
    List<CompletableFuture<String>> results = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      SyncClient c = device(user, "device-" + i);
      results.add(
          CompletableFuture.supplyAsync(() -> c.connect(true).json().getString("resolution")));
    }
    List<String> resolutions = new ArrayList<>();
    for (CompletableFuture<String> f : results) {
      resolutions.add(f.get());
    }
    assertEquals(
        1, resolutions.stream().filter("initialize_local"::equals).count(), resolutions.toString());
    assertEquals(
        5, resolutions.stream().filter("retry_later"::equals).count(), resolutions.toString());
  }

  @Test
  void pushCommitsOneBundleWhoseHashClientsCanRecompute() {
    SyncClient c = initialized();
    String team = uuid();
    String user = uuid();
    String post = uuid();
    String file = uuid();
    // Children before parents: valid only because the foreign keys are deferred.
    List<String> rows =
        List.of(
            row(
                "files",
                "id",
                file,
                "INSERT",
                0,
                "{\"post_id\":\"" + post + "\",\"name\":\"a.bin\",\"content\":\"AAEC/w==\"}"),
            row(
                "posts",
                "id",
                post,
                "INSERT",
                0,
                "{\"author_id\":\"" + user + "\",\"title\":\"<b>Tom & Jerry</b>\",\"score\":0.1}"),
            row(
                "users",
                "id",
                user,
                "INSERT",
                0,
                "{\"email\":\"a@example.com\",\"team_id\":\"" + team + "\",\"age\":42}"),
            row("teams", "id", team, "INSERT", 0, "{\"name\":\"Ünïcødé 😀\"}"),
            tag("urgent", "INSERT", 0, "red"));
    JsonObject commit = c.push(1, rows);
    assertEquals(1, commit.getInt("bundle_seq"));
    assertEquals(c.source, commit.getString("source_id"));
    assertEquals(1, commit.getInt("source_bundle_id"));
    assertEquals(5, commit.getInt("row_count"));

    JsonObject page = c.rows(1, null).json();
    assertEquals(commit.getString("bundle_hash"), page.getString("bundle_hash"));
    List<CanonicalJson.LogicalRow> logical = new ArrayList<>();
    for (JsonObject r : page.getJsonArray("rows").getValuesAs(JsonObject.class)) {
      String keyColumn = r.getJsonObject("key").keySet().iterator().next();
      logical.add(
          new CanonicalJson.LogicalRow(
              r.getString("schema"),
              r.getString("table"),
              keyColumn,
              r.getJsonObject("key").getString(keyColumn),
              r.getString("op"),
              r.getInt("row_version"),
              r.containsKey("payload") ? CanonicalJson.canonicalize(r.get("payload")) : null));
    }
    assertEquals(commit.getString("bundle_hash"), CanonicalJson.bundleHash(logical));
    // Rows come in the client's order; bytea comes back as base64 and defaults are captured.
    JsonObject fileRow = page.getJsonArray("rows").getJsonObject(0);
    assertEquals("files", fileRow.getString("table"));
    assertEquals("AAEC/w==", fileRow.getJsonObject("payload").getString("content"));
    JsonObject userRow = page.getJsonArray("rows").getJsonObject(2).getJsonObject("payload");
    assertEquals(42, userRow.getInt("age"));
    assertTrue(userRow.getBoolean("active"));
    assertEquals("2026-01-01T00:00:00+00:00", userRow.getString("created_at"));
    assertEquals(4, page.getInt("next_row_ordinal"));
    assertFalse(page.getBoolean("has_more"));

    // The same tuple again answers the committed bundle, not a second one.
    JsonObject replay = c.create(1, 5, null).json();
    assertEquals("already_committed", replay.getString("status"));
    assertEquals(commit.getString("bundle_hash"), replay.getString("bundle_hash"));
    assertEquals(1, replay.getInt("bundle_seq"));
    assertFalse(replay.containsKey("push_id"));

    // An update and a delete in the next bundle carry the versions the server holds.
    JsonObject second =
        c.push(
            2,
            List.of(
                tag("urgent", "UPDATE", 1, "blue"), row("files", "id", file, "DELETE", 1, null)));
    assertEquals(2, second.getInt("bundle_seq"));
    JsonObject rows2 = c.rows(2, null).json();
    assertEquals(
        "{\"color\":\"blue\",\"name\":\"urgent\"}",
        rows2.getJsonArray("rows").getJsonObject(0).getJsonObject("payload").toString());
    assertFalse(rows2.getJsonArray("rows").getJsonObject(1).containsKey("payload"));
  }

  @Test
  void sourceSequencing() throws SQLException {
    SyncClient c = initialized();
    assertEquals("source_sequence_out_of_order", c.create(2, 1, null).error());
    c.push(1, List.of(tag("a", "INSERT", 0, null)));
    c.push(2, List.of(tag("b", "INSERT", 0, null)));
    assertEquals(409, c.create(4, 1, null).status());
    assertEquals("already_committed", c.create(1, 1, null).json().getString("status"));
    // Once bundle 1 is outside retained history, its tuple is pruned, not replayed.
    try (Connection db = TestDatabase.connect();
        PreparedStatement ps =
            db.prepareStatement(
                "UPDATE sync.user_state SET retained_bundle_floor = 1 WHERE user_id = ?")) {
      ps.setString(1, c.user);
      ps.executeUpdate();
    }
    Http.Reply pruned = c.create(1, 1, null);
    assertEquals(409, pruned.status());
    assertEquals("history_pruned", pruned.error());
    assertEquals("history_pruned", c.rows(1, null).error());
    assertEquals(200, c.rows(2, null).status());
    assertEquals("committed_bundle_not_found", c.rows(3, null).error());
  }

  @Test
  void chunksMustArriveInOrder() {
    SyncClient c = initialized();
    String pushId = c.create(1, 3, null).json().getString("push_id");
    Http.Reply gap = c.chunk(pushId, 1, List.of(tag("x", "INSERT", 0, null)));
    assertEquals(409, gap.status());
    assertEquals("push_chunk_out_of_order", gap.error());
    assertEquals("expected start_row_ordinal 0, got 1", gap.json().getString("message"));
    assertEquals(
        1,
        c.chunk(pushId, 0, List.of(tag("x", "INSERT", 0, null)))
            .json()
            .getInt("next_expected_row_ordinal"));
    assertEquals(
        "push_chunk_out_of_order",
        c.chunk(pushId, 0, List.of(tag("y", "INSERT", 0, null))).error());
    assertEquals(
        "push_chunk_invalid",
        c.chunk(
                pushId,
                1,
                List.of(
                    tag("y", "INSERT", 0, null),
                    tag("z", "INSERT", 0, null),
                    tag("w", "INSERT", 0, null)))
            .error());
    // Committing before every planned row is staged is refused; the session stays usable.
    assertEquals("push_commit_invalid", c.commit(pushId).error());
    assertEquals(
        200,
        c.chunk(pushId, 1, List.of(tag("y", "INSERT", 0, null), tag("z", "INSERT", 0, null)))
            .status());
    assertEquals(200, c.commit(pushId).status());
    assertEquals("push_session_not_found", c.commit(pushId).error());
    assertEquals(404, c.send("DELETE", "/sync/push-sessions/not-a-uuid", null).status());
  }

  @Test
  void conflictsAbortTheBundleWithTheServersRow() {
    SyncClient c = initialized();
    c.push(1, List.of(tag("kept", "INSERT", 0, "green"), tag("gone", "INSERT", 0, "grey")));
    c.push(2, List.of(tag("gone", "DELETE", 1, null)));

    assertConflict(
        c,
        3,
        tag("kept", "INSERT", 0, "x"),
        "row already exists at version 1",
        1,
        false,
        "{\"color\":\"green\",\"name\":\"kept\"}");
    assertConflict(
        c, 3, tag("fresh", "INSERT", 4, "x"), "expected missing row at version 0", 0, false, null);
    assertConflict(
        c,
        3,
        tag("kept", "UPDATE", 7, "x"),
        "expected version 1, got 7",
        1,
        false,
        "{\"color\":\"green\",\"name\":\"kept\"}");
    assertConflict(c, 3, tag("nothing", "UPDATE", 0, "x"), null, 0, false, null);
    assertConflict(c, 3, tag("gone", "DELETE", 2, null), null, 2, true, null);
    // A deleted row may be inserted again at its tombstone's version.
    assertEquals(3, c.push(3, List.of(tag("gone", "INSERT", 2, "back"))).getInt("bundle_seq"));
  }

  private static void assertConflict(
      SyncClient c,
      long id,
      String row,
      String message,
      long serverVersion,
      boolean deleted,
      String serverRow) {
    String pushId = c.create(id, 1, null).json().getString("push_id");
    assertEquals(200, c.chunk(pushId, 0, List.of(row)).status());
    Http.Reply r = c.commit(pushId);
    assertEquals(409, r.status(), r.text());
    assertEquals("push_conflict", r.error());
    if (message != null) {
      assertEquals(message, r.json().getString("message"));
    }
    JsonObject conflict = r.json().getJsonObject("conflict");
    assertEquals("demo", conflict.getString("schema"));
    assertEquals("tags", conflict.getString("table"));
    assertEquals(serverVersion, conflict.getInt("server_row_version"));
    assertEquals(deleted, conflict.getBoolean("server_row_deleted"));
    // Server rows keep PostgreSQL's jsonb member order (rowsync.md §10.2): compare as objects.
    if (serverRow == null) {
      assertEquals(jakarta.json.JsonValue.NULL, conflict.get("server_row"));
    } else {
      assertEquals(
          jakarta.json.Json.createReader(new java.io.StringReader(serverRow)).readObject(),
          conflict.getJsonObject("server_row"));
    }
    // The failed commit leaves the session in place for the client to delete.
    assertEquals(204, c.send("DELETE", "/sync/push-sessions/" + pushId, null).status());
  }

  @Test
  void constraintViolationsAre400AndWriteNothing() {
    SyncClient c = initialized();
    String post = uuid();
    String pushId = c.create(1, 1, null).json().getString("push_id");
    c.chunk(
        pushId,
        0,
        List.of(
            row(
                "posts",
                "id",
                post,
                "INSERT",
                0,
                "{\"author_id\":\"" + uuid() + "\",\"title\":\"orphan\"}")));
    Http.Reply r = c.commit(pushId);
    assertEquals(400, r.status(), r.text());
    assertEquals("push_commit_invalid", r.error());
    assertTrue(r.json().getString("message").contains("posts_"), r.text());
    String typo = c.create(1, 1, null).json().getString("push_id");
    // A column the table does not have.
    assertEquals(
        200,
        c.chunk(typo, 0, List.of(row("tags", "name", "t", "INSERT", 0, "{\"colour\":\"red\"}")))
            .status());
    Http.Reply unknown = c.commit(typo);
    assertEquals("push_commit_invalid", unknown.error());
    assertTrue(unknown.json().getString("message").contains("colour"), unknown.text());
    assertEquals("committed_bundle_not_found", c.rows(1, null).error());
  }

  @Test
  void badRowsAreRefusedAtUpload() {
    SyncClient c = initialized();
    String pushId = c.create(1, 10, null).json().getString("push_id");
    List<String> bad =
        List.of(
            row("users", "id", "NOT-A-UUID", "INSERT", 0, "{\"email\":\"x\"}"),
            row("users", "id", uuid().toUpperCase(), "INSERT", 0, "{\"email\":\"x\"}"),
            row("nope", "id", uuid(), "INSERT", 0, "{}"),
            row("users", "id", uuid(), "MERGE", 0, "{}"),
            row("users", "id", uuid(), "INSERT", 0, "{\"_sync_scope_id\":\"someone-else\"}"),
            row("users", "id", uuid(), "DELETE", 0, "{\"email\":\"x\"}"),
            row("users", "id", uuid(), "UPDATE", 0, null),
            row("files", "id", uuid(), "INSERT", 0, "{\"content\":\"not base64!\"}"),
            row(
                "users",
                "id",
                "11111111-1111-4111-8111-111111111111",
                "INSERT",
                0,
                "{\"id\":\"22222222-2222-4222-8222-222222222222\"}"));
    for (String r : bad) {
      Http.Reply reply = c.chunk(pushId, 0, List.of(r));
      assertEquals(400, reply.status(), r);
      assertEquals("push_chunk_invalid", reply.error(), r);
    }
    String dup = tag("same", "INSERT", 0, null);
    assertEquals("push_chunk_invalid", c.chunk(pushId, 0, List.of(dup, dup)).error());
    assertEquals(
        "invalid_request",
        c.send("POST", "/sync/push-sessions/" + pushId + "/chunks", "{nope").error());
    assertEquals("invalid_request", c.send("POST", "/sync/push-sessions", "[]").error());
    assertEquals("push_session_invalid", c.create(0, 1, null).error());
    assertEquals("push_session_invalid", c.create(1, 0, null).error());
    assertEquals("invalid_request", c.send("POST", "/sync/connect", "").error());
  }

  @Test
  void writesOutsideABundleAreRejectedByTheDatabase() throws SQLException {
    long before =
        device("u", "s")
            .send("GET", "/syncx/status", null, null, null)
            .json()
            .getJsonNumber("rejected_registered_write_count")
            .longValue();
    try (Connection db = TestDatabase.connect();
        Statement s = db.createStatement()) {
      SQLException e =
          assertThrows(
              SQLException.class,
              () ->
                  s.executeUpdate(
                      "INSERT INTO demo.tags (_sync_scope_id, name) VALUES ('mallory', 'x')"));
      assertTrue(e.getMessage().contains("requires oversync sync bundle context"), e.getMessage());
    }
    long after =
        device("u", "s")
            .send("GET", "/syncx/status", null, null, null)
            .json()
            .getJsonNumber("rejected_registered_write_count")
            .longValue();
    assertEquals(before + 1, after);
  }

  @Test
  void committedRowsPageByLogicalOrdinal() {
    SyncClient c = initialized();
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      rows.add(tag("tag-" + i, "INSERT", 0, "c" + i));
    }
    JsonObject commit = c.push(1, rows);
    assertEquals(2500, commit.getInt("row_count"));
    JsonObject p1 = c.rows(1, "max_rows=1000").json();
    assertEquals(1000, p1.getJsonArray("rows").size());
    assertEquals(999, p1.getInt("next_row_ordinal"));
    assertTrue(p1.getBoolean("has_more"));
    assertEquals(
        "tag-0", p1.getJsonArray("rows").getJsonObject(0).getJsonObject("key").getString("name"));
    JsonObject p2 = c.rows(1, "after_row_ordinal=999&max_rows=1000").json();
    assertEquals(1999, p2.getInt("next_row_ordinal"));
    assertEquals(
        "tag-1000",
        p2.getJsonArray("rows").getJsonObject(0).getJsonObject("key").getString("name"));
    JsonObject p3 = c.rows(1, "after_row_ordinal=1999&max_rows=1000").json();
    assertEquals(500, p3.getJsonArray("rows").size());
    assertEquals(2499, p3.getInt("next_row_ordinal"));
    assertFalse(p3.getBoolean("has_more"));
    JsonObject end = c.rows(1, "after_row_ordinal=2499").json();
    assertEquals(0, end.getJsonArray("rows").size());
    assertEquals(2499, end.getInt("next_row_ordinal"));
    assertEquals(commit.getString("bundle_hash"), end.getString("bundle_hash"));
    assertEquals(5000, c.rows(1, "max_rows=999999").json().getJsonArray("rows").size() + 2500);
    assertEquals("committed_bundle_chunk_invalid", c.rows(1, "max_rows=0").error());
    assertEquals("committed_bundle_chunk_invalid", c.rows(1, "after_row_ordinal=-1").error());
    assertEquals(
        "committed_bundle_chunk_invalid",
        c.send("GET", "/sync/committed-bundles/zero/rows", null).error());
  }

  @Test
  void usersNeverSeeEachOther() {
    SyncClient alice = initialized();
    SyncClient bob = initialized();
    // The same key under two users is two rows.
    alice.push(1, List.of(tag("shared", "INSERT", 0, "alice")));
    JsonObject bobs = bob.push(1, List.of(tag("shared", "INSERT", 0, "bob")));
    assertEquals(1, bobs.getInt("bundle_seq"));
    assertEquals(
        "{\"color\":\"alice\",\"name\":\"shared\"}",
        alice
            .rows(1, null)
            .json()
            .getJsonArray("rows")
            .getJsonObject(0)
            .getJsonObject("payload")
            .toString());
    assertEquals(
        "{\"color\":\"bob\",\"name\":\"shared\"}",
        bob.rows(1, null)
            .json()
            .getJsonArray("rows")
            .getJsonObject(0)
            .getJsonObject("payload")
            .toString());
    // Bob cannot touch Alice's push session.
    String alicePush = alice.create(2, 1, null).json().getString("push_id");
    assertEquals(
        "push_session_forbidden",
        bob.chunk(alicePush, 0, List.of(tag("x", "INSERT", 0, null))).error());
    assertEquals(403, bob.commit(alicePush).status());
    assertEquals(403, bob.send("DELETE", "/sync/push-sessions/" + alicePush, null).status());
    // A user who never synced has no bundles at all.
    assertEquals(
        "committed_bundle_not_found", device("nobody-" + uuid(), "s").rows(1, null).error());
  }
}
