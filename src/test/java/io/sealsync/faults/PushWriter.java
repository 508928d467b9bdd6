package io.sealsync.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.rowsync.SyncClient;
import io.sealsync.testsupport.Http;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A row-sync device pushing bundles of {@code rows} new tags in {@code chunks} chunks each. A
 * session that lost an answer is started over from create, as the Go client does: create then
 * answers {@code already_committed} for a bundle that did commit.
 */
final class PushWriter extends FaultClient {
  final String user;
  final String source;
  final String token;
  final int rows;
  final int chunks;

  /** The tag names of every acknowledged bundle, by its {@code bundle_seq}. */
  final Map<Long, Set<String>> acked = new ConcurrentHashMap<>();

  /** The latest acknowledged {@code bundle_seq}. */
  volatile long lastAcked;

  PushWriter(String name, List<Http> nodes, Tally tally, String user, int rows, int chunks) {
    super(name, nodes, tally);
    this.user = user;
    this.source = "src-" + name;
    this.token = new SyncClient(nodes.get(0), user, source).token;
    this.rows = rows;
    this.chunks = chunks;
  }

  private HttpResponse<byte[]> send(String what, String method, String path, String body)
      throws InterruptedException {
    return call(
        what,
        method,
        path,
        "Bearer " + token,
        Map.of("Oversync-Source-ID", source),
        body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonObject json(HttpResponse<byte[]> r) {
    return new Http.Reply(r.statusCode(), null, r.body()).json();
  }

  /** Connects as an empty device (the scope is initialized on the first connect). */
  void connect() throws InterruptedException {
    HttpResponse<byte[]> r = null;
    while (r == null) {
      r = send("connect", "POST", "/sync/connect", "{\"has_local_pending_rows\":false}");
    }
    if (r.statusCode() != 200) {
      throw unexpected("connect", r);
    }
  }

  @Override
  void work() throws Exception {
    connect();
    for (long bundle = 1; !stopping(); bundle++) {
      List<String> names = new ArrayList<>();
      List<String> payload = new ArrayList<>();
      for (int i = 0; i < rows; i++) {
        String tag = name + "-b" + bundle + "-r" + i;
        names.add(tag);
        payload.add(SyncClient.tag(tag, "INSERT", 0, "c" + i));
      }
      Long seq = null;
      while (seq == null) {
        if (stopping()) {
          return;
        }
        seq = attempt(bundle, payload);
      }
      acked.put(seq, new HashSet<>(names));
      lastAcked = seq;
      acknowledged.incrementAndGet();
    }
  }

  /** One try at a whole bundle: its {@code bundle_seq}, or null to start it over. */
  private Long attempt(long bundle, List<String> payload) throws InterruptedException {
    HttpResponse<byte[]> created =
        send(
            "push create",
            "POST",
            "/sync/push-sessions",
            "{\"source_bundle_id\":" + bundle + ",\"planned_row_count\":" + rows + "}");
    if (created == null) {
      return null;
    }
    if (created.statusCode() != 200) {
      throw unexpected("push create " + bundle, created);
    }
    JsonObject c = json(created);
    if (c.getString("status").equals("already_committed")) {
      assertEquals(rows, c.getJsonNumber("row_count").longValue(), name + " bundle " + bundle);
      return c.getJsonNumber("bundle_seq").longValue();
    }
    String pushId = c.getString("push_id");
    int per = (rows + chunks - 1) / chunks;
    for (int start = 0; start < rows; start += per) {
      List<String> part = payload.subList(start, Math.min(rows, start + per));
      HttpResponse<byte[]> chunk =
          send(
              "push chunk",
              "POST",
              "/sync/push-sessions/" + pushId + "/chunks",
              "{\"start_row_ordinal\":" + start + ",\"rows\":[" + String.join(",", part) + "]}");
      if (chunk == null) {
        return null;
      }
      if (chunk.statusCode() != 200) {
        throw unexpected("push chunk " + bundle, chunk);
      }
    }
    HttpResponse<byte[]> committed =
        send("push commit", "POST", "/sync/push-sessions/" + pushId + "/commit", null);
    if (committed == null) {
      return null;
    }
    if (committed.statusCode() == 404) {
      // The commit went through but its answer was lost: create tells.
      return null;
    }
    if (committed.statusCode() != 200) {
      throw unexpected("push commit " + bundle, committed);
    }
    return json(committed).getJsonNumber("bundle_seq").longValue();
  }

  /**
   * Pulls the user's whole history: contiguous bundles, each complete (all its rows, never part of
   * a bundle), every acknowledged bundle with exactly its rows. Returns the bundles read.
   */
  long verify(Http http) {
    SyncClient reader = new SyncClient(http, user, source + "-reader");
    long after = 0;
    long count = 0;
    long lastSourceBundle = 0;
    long floor = 0;
    Set<Long> seen = new HashSet<>();
    while (true) {
      Http.Reply page =
          reader.send("GET", "/sync/pull?after_bundle_seq=" + after + "&max_bundles=100", null);
      assertEquals(200, page.status(), name + " pull: " + page.text());
      for (JsonObject b : page.json().getJsonArray("bundles").getValuesAs(JsonObject.class)) {
        long seq = b.getJsonNumber("bundle_seq").longValue();
        if (count == 0) {
          // Retention may have pruned the oldest bundles (the test server keeps 40 a user).
          floor = seq - 1;
        } else {
          assertEquals(after + 1, seq, name + ": bundles are contiguous");
        }
        Set<String> names = new HashSet<>();
        for (JsonObject row : b.getJsonArray("rows").getValuesAs(JsonObject.class)) {
          names.add(row.getJsonObject("key").getString("name"));
        }
        assertEquals(rows, names.size(), name + ": bundle " + seq + " is complete");
        assertEquals(rows, b.getJsonNumber("row_count").longValue(), name + " row_count " + seq);
        Set<String> mine = acked.get(seq);
        if (mine != null) {
          assertEquals(mine, names, name + ": acknowledged bundle " + seq + " has its rows");
        }
        if (b.getString("source_id").equals(source)) {
          // This device's bundles come in the order it pushed them.
          long sourceBundle = b.getJsonNumber("source_bundle_id").longValue();
          assertTrue(
              lastSourceBundle == 0
                  ? floor > 0 || sourceBundle == 1
                  : sourceBundle == lastSourceBundle + 1,
              name + ": bundle order at " + seq);
          lastSourceBundle = sourceBundle;
        }
        seen.add(seq);
        after = seq;
        count++;
      }
      if (!page.json().getBoolean("has_more")) {
        break;
      }
    }
    for (long seq : acked.keySet()) {
      assertTrue(
          seq <= floor || seen.contains(seq), name + ": acknowledged bundle " + seq + " is lost");
    }
    return count;
  }

  /**
   * Every row of every acknowledged bundle is in the business table, pruned history or not. Returns
   * the number of rows checked.
   */
  long verifyRows(java.sql.Connection db) throws java.sql.SQLException {
    List<String> names = new ArrayList<>();
    acked.values().forEach(names::addAll);
    try (java.sql.PreparedStatement ps =
        db.prepareStatement(
            "SELECT count(*) FROM demo.tags WHERE _sync_scope_id = ? AND name = ANY (?)")) {
      ps.setString(1, user);
      ps.setArray(2, db.createArrayOf("text", names.toArray()));
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertEquals(names.size(), rs.getLong(1), name + ": rows of acknowledged bundles");
      }
    }
    return names.size();
  }
}
