package io.sealsync.rowsync.push;

import static io.sealsync.rowsync.SyncClient.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Retention and scale. The test server keeps 40 bundles per user and prunes at most 3 per commit
 * (pom.xml), so both effects show within a test.
 */
@ExtendWith(ArquillianExtension.class)
class RowSyncRetentionIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;

  static long floor(String user) throws SQLException {
    try (Connection db = TestDatabase.connect();
        PreparedStatement ps =
            db.prepareStatement(
                "SELECT retained_bundle_floor FROM sync.user_state WHERE user_id = ?")) {
      ps.setString(1, user);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void theFloorAdvancesInBoundedStepsAndEveryReadPathHonoursIt() throws SQLException {
    SyncClient c = new SyncClient(base, "ret-" + UUID.randomUUID(), "dev");
    c.connect(false);
    for (int i = 1; i <= 40; i++) {
      c.push(i, List.of(tag("t" + i, "INSERT", 0, null)));
    }
    assertEquals(0, floor(c.user));
    c.push(41, List.of(tag("t41", "INSERT", 0, null)));
    assertEquals(1, floor(c.user));
    // Lift the window's target far ahead: each commit still moves the floor by at most 3.
    try (Connection db = TestDatabase.connect();
        PreparedStatement ps =
            db.prepareStatement(
                "UPDATE sync.user_state SET next_bundle_seq = next_bundle_seq WHERE user_id = ?")) {
      ps.setString(1, c.user);
      ps.executeUpdate();
    }
    c.push(42, List.of(tag("t42", "INSERT", 0, null)));
    assertEquals(2, floor(c.user));

    // Every read path treats bundles at or below the floor as pruned.
    assertEquals("history_pruned", c.rows(2, null).error());
    assertEquals(200, c.rows(3, null).status());
    assertEquals("history_pruned", c.send("GET", "/sync/pull?after_bundle_seq=1", null).error());
    JsonArray fromZero =
        c.send("GET", "/sync/pull?after_bundle_seq=0", null).json().getJsonArray("bundles");
    assertEquals(3, fromZero.getJsonObject(0).getInt("bundle_seq"));
    Http.Reply replay = c.create(1, 1, null);
    assertEquals("history_pruned", replay.error());
    assertTrue(
        replay.json().getString("message").contains("max committed source_bundle_id 42"),
        replay.text());
    // Row state survives pruning: a snapshot still has every row with its version.
    JsonObject snap = c.send("POST", "/sync/snapshot-sessions", null).json();
    assertEquals(42, snap.getInt("row_count"));
    JsonObject status = c.send("GET", "/syncx/status", null).json();
    assertEquals("healthy", status.getString("status"));
  }

  @Test
  void aPullWhoseWholeHistoryIsPrunedSendsTheClientToASnapshotRebuild() throws SQLException {
    SyncClient writer = new SyncClient(base, "pruned-" + UUID.randomUUID(), "writer");
    writer.connect(false);
    for (int i = 1; i <= 3; i++) {
      writer.push(i, List.of(tag("p" + i, "INSERT", 0, "c" + i)));
    }
    // An operator raises the floor to the newest bundle (§13): nothing is retained any more.
    try (Connection db = TestDatabase.connect();
        PreparedStatement ps =
            db.prepareStatement(
                "UPDATE sync.user_state SET retained_bundle_floor = next_bundle_seq - 1"
                    + " WHERE user_id = ?")) {
      ps.setString(1, writer.user);
      assertEquals(1, ps.executeUpdate());
    }
    long prunedBefore = historyPrunedCount();
    SyncClient fresh = new SyncClient(base, writer.user, "fresh-device");
    Http.Reply pull = fresh.send("GET", "/sync/pull?after_bundle_seq=0", null);
    assertEquals(409, pull.status(), pull.text());
    assertEquals("history_pruned", pull.error());
    assertEquals(prunedBefore + 1, historyPrunedCount());

    // The client's recovery (§12.1): a snapshot rebuild. Its bundle is at the floor, so the device
    // rebuilds again until the floor lies below what it holds, then pulls on as usual.
    assertEquals(3, rebuild(fresh, 3));
    writer.push(4, List.of(tag("p4", "INSERT", 0, "c4")));
    assertEquals(
        "history_pruned", fresh.send("GET", "/sync/pull?after_bundle_seq=3", null).error());
    assertEquals(4, rebuild(fresh, 4));
    Http.Reply caughtUp = fresh.send("GET", "/sync/pull?after_bundle_seq=4", null);
    assertEquals(200, caughtUp.status(), caughtUp.text());
    assertEquals(4, caughtUp.json().getInt("stable_bundle_seq"));
    assertEquals(0, caughtUp.json().getJsonArray("bundles").size());
    writer.push(5, List.of(tag("p5", "INSERT", 0, "c5")));
    JsonArray next =
        fresh.send("GET", "/sync/pull?after_bundle_seq=4", null).json().getJsonArray("bundles");
    assertEquals(1, next.size());
    assertEquals(5, next.getJsonObject(0).getInt("bundle_seq"));
  }

  /** A snapshot rebuild as the clients do it; answers the snapshot's bundle after checking rows. */
  private static long rebuild(SyncClient device, int expectedRows) {
    JsonObject snap = device.send("POST", "/sync/snapshot-sessions", null).json();
    assertEquals(expectedRows, snap.getInt("row_count"));
    JsonObject chunk =
        device.send("GET", "/sync/snapshot-sessions/" + snap.getString("snapshot_id"), null).json();
    assertEquals(expectedRows, chunk.getJsonArray("rows").size());
    return snap.getJsonNumber("snapshot_bundle_seq").longValue();
  }

  static long historyPrunedCount() throws SQLException {
    try (Connection db = TestDatabase.connect();
        PreparedStatement ps =
            db.prepareStatement(
                "SELECT CASE WHEN is_called THEN last_value ELSE 0 END"
                    + " FROM sync.history_pruned_error_seq");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void fiftyThousandRowsArriveExactlyOnceWithTheirVersions() {
    String user = "scale-" + UUID.randomUUID();
    SyncClient writer = new SyncClient(base, user, "writer");
    SyncClient reader = new SyncClient(base, user, "reader");
    writer.connect(false);
    int bundles = 25;
    int rowsPerBundle = 2000;
    long started = System.nanoTime();
    for (int b = 0; b < bundles; b++) {
      List<String> rows = new ArrayList<>(rowsPerBundle);
      for (int r = 0; r < rowsPerBundle; r++) {
        rows.add(tag("k-" + b + "-" + r, "INSERT", 0, "v" + b));
      }
      writer.push(b + 1, rows);
    }
    // Updates of the first bundle's rows move their versions.
    List<String> updates = new ArrayList<>();
    for (int r = 0; r < rowsPerBundle; r++) {
      updates.add(tag("k-0-" + r, "UPDATE", 1, "updated"));
    }
    writer.push(bundles + 1, updates);
    long pushed = System.nanoTime();

    Map<String, Integer> versions = new HashMap<>();
    int rowsSeen = 0;
    long after = 0;
    boolean more = true;
    long stable = 0;
    while (more) {
      JsonObject page =
          reader
              .send(
                  "GET",
                  "/sync/pull?after_bundle_seq="
                      + after
                      + "&max_bundles=5"
                      + (stable > 0 ? "&target_bundle_seq=" + stable : ""),
                  null)
              .json();
      stable = page.getInt("stable_bundle_seq");
      for (JsonObject bundle : page.getJsonArray("bundles").getValuesAs(JsonObject.class)) {
        assertEquals(after + 1, bundle.getInt("bundle_seq"));
        after = bundle.getInt("bundle_seq");
        for (JsonObject row : bundle.getJsonArray("rows").getValuesAs(JsonObject.class)) {
          versions.put(row.getJsonObject("key").getString("name"), row.getInt("row_version"));
          rowsSeen++;
        }
      }
      more = page.getBoolean("has_more");
    }
    long pulled = System.nanoTime();
    assertEquals(bundles * rowsPerBundle + rowsPerBundle, rowsSeen);
    assertEquals(bundles * rowsPerBundle, versions.size());
    assertEquals(bundles + 1, versions.get("k-0-0"));
    assertEquals(2, versions.get("k-1-5"));
    assertEquals(bundles, versions.get("k-" + (bundles - 1) + "-1999"));
    System.out.printf(
        "row sync scale: pushed %d rows in %d bundles in %d ms, pulled them in %d ms%n",
        rowsSeen, bundles + 1, (pushed - started) / 1_000_000, (pulled - pushed) / 1_000_000);
  }
}
