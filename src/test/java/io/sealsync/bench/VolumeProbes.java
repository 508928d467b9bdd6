package io.sealsync.bench;

import io.sealsync.agentstate.ReplicationClient;
import io.sealsync.rowsync.SyncClient;
import io.sealsync.rowsync.codec.CanonicalJson;
import io.sealsync.testsupport.Http;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.sql.DataSource;

/**
 * The volume profile's own operations (docs/benchmark.md, "The volume profile"): reads whose cost
 * could grow with the database (head, replay and pull from the middle of a long history,
 * committed-bundle rows, a snapshot of a user with many rows, the status and readiness endpoints,
 * the console's and operator API's list pages), each aimed at a {@link Targets} of the same shape
 * at the empty and at the loaded size. Also the check that the load reads back through the
 * protocols as the server would have written it.
 */
final class VolumeProbes {
  /** Rows per bundle of the histories read, at both sizes (as {@link VolumeLoad.Size}). */
  static final int BUNDLE_ROWS = 10;

  /** Bundles per pull page from the middle of a history. */
  static final int PULL_BUNDLES = 100;

  /**
   * What the operations read at one size: an account tenant with a long replication log (read with
   * {@code key}) and ledger, a row-sync user with a long history of {@link #BUNDLE_ROWS}-row
   * bundles, and a user with many rows for the snapshot.
   */
  record Targets(
      long tenant,
      String key,
      long logHead,
      String historyUser,
      long historyHead,
      String rowsUser) {}

  /** One operation of the table: its label, its concurrency and count, and its clients. */
  record Probe(String label, int clients, int ops, Load.Clients load) {}

  private final Http http;

  VolumeProbes(Http http) {
    this.http = http;
  }

  /**
   * The empty size's targets, written through the protocols: an account tenant (credits and a live
   * key through the operator API) replicating {@code blocks} blocks of 1 to 4 KiB, 100 per request
   * (each request a ledger debit), and a user pushing {@code bundles} bundles of {@link
   * #BUNDLE_ROWS} rows.
   */
  Targets prepareEmpty(String rowsUser, int blocks, int bundles) {
    Http.LiveTenant live = http.liveTenant(1_000_000, null, null);
    ReplicationClient worker = new ReplicationClient(http, live.key());
    SplittableRandom random = new SplittableRandom(1);
    for (int from = 0; from < blocks; from += 100) {
      List<byte[]> batch = new ArrayList<>();
      for (int i = from; i < Math.min(blocks, from + 100); i++) {
        byte[] b = new byte[1024 + random.nextInt(3073)];
        random.nextBytes(b);
        batch.add(b);
      }
      ServerLoads.expect(worker.append(batch), 200, "replicate");
    }
    String user = "volume-history";
    SyncClient device = new SyncClient(http, user, "dev");
    ServerLoads.expect(device.connect(false), 200, "connect " + user);
    for (int b = 1; b <= bundles; b++) {
      device.push(b, DemoUsers.pushJson(DemoUsers.bundle(user, b, BUNDLE_ROWS)));
    }
    return new Targets(live.tenantId(), live.key(), blocks - 1, user, bundles, rowsUser);
  }

  static Targets loaded(VolumeLoad.Size size) {
    return new Targets(
        VolumeLoad.HEAVY_TENANT,
        VolumeLoad.HEAVY_TENANT_KEY,
        size.heavyBlocks() - 1,
        VolumeLoad.HEAVY_USER,
        size.heavyBundles(),
        VolumeLoad.HEAVY_USER);
  }

  /** Every operation against {@code t}; {@code scale} multiplies the counts. */
  List<Probe> probes(Targets t, BenchSettings settings) {
    int light = settings.scaled(100);
    int heavy = settings.scaled(20);
    long middleBlock = t.logHead() / 2;
    long middleBundle = t.historyHead() / 2;
    String encodedUser = URLEncoder.encode(t.historyUser(), StandardCharsets.UTF_8);
    List<Probe> p = new ArrayList<>();
    p.add(
        new Probe(
            "agent state: GET /head, the tenant with the long log",
            4,
            light,
            client -> {
              ReplicationClient worker = new ReplicationClient(http, t.key());
              return i -> {
                Http.Reply r = worker.head();
                ServerLoads.expect(r, 200, "head");
                if (r.json().getJsonNumber("sequence_number").longValue() != t.logHead()) {
                  throw new IllegalStateException("head: " + r.text());
                }
                return 1;
              };
            }));
    p.add(
        new Probe(
            "agent state: GET /replay from the middle of the long log (one page)",
            2,
            heavy,
            client -> {
              ReplicationClient worker = new ReplicationClient(http, t.key());
              long expected = Math.min(1000, t.logHead() - middleBlock);
              return i -> {
                Http.Reply r = worker.replay(middleBlock);
                ServerLoads.expect(r, 200, "replay");
                if (r.json().getInt("count") != expected) {
                  throw new IllegalStateException("replay: " + r.json().getInt("count") + " rows");
                }
                return expected;
              };
            }));
    p.add(
        new Probe(
            String.format(
                java.util.Locale.ROOT,
                "row sync: pull of %d bundles from the middle of a long history",
                PULL_BUNDLES),
            2,
            heavy,
            client -> {
              SyncClient device = new SyncClient(http, t.historyUser(), "volume-reader-" + client);
              return i -> {
                Http.Reply r =
                    device.send(
                        "GET",
                        "/sync/pull?max_bundles="
                            + PULL_BUNDLES
                            + "&after_bundle_seq="
                            + middleBundle,
                        null);
                ServerLoads.expect(r, 200, "pull");
                PullPage page = PullPage.read(r.bytes());
                if (page.rows() != (long) PULL_BUNDLES * BUNDLE_ROWS) {
                  throw new IllegalStateException("pull from the middle: " + page.rows() + " rows");
                }
                return page.rows();
              };
            }));
    p.add(
        new Probe(
            "row sync: committed-bundle rows, a bundle in the middle of a long history",
            4,
            light,
            client -> {
              SyncClient device = new SyncClient(http, t.historyUser(), "volume-reader-" + client);
              return i -> {
                ServerLoads.expect(device.rows(middleBundle, null), 200, "committed-bundle rows");
                return 1;
              };
            }));
    p.add(new Probe("row sync: GET /syncx/status", 4, light, get("/syncx/status", false)));
    p.add(new Probe("GET /health/ready", 4, light, get("/health/ready", false)));
    p.add(
        new Probe("operator API: overview (console home)", 4, light, get("/admin/overview", true)));
    p.add(new Probe("operator API: tenants, first page", 4, light, get("/admin/tenants", true)));
    p.add(
        new Probe(
            "operator API: tenants, search by name",
            4,
            light,
            get("/admin/tenants?q=account-1", true)));
    p.add(
        new Probe(
            "operator API: ledger of the heavy tenant, first page",
            4,
            light,
            get("/admin/tenants/" + t.tenant() + "/ledger", true)));
    p.add(
        new Probe(
            "operator API: agent-state view of the heavy tenant",
            4,
            light,
            get("/admin/tenants/" + t.tenant() + "/agent-state", true)));
    p.add(new Probe("operator API: audit, first page", 4, light, get("/admin/audit", true)));
    p.add(
        new Probe(
            "operator API: audit, filtered by action",
            4,
            light,
            get("/admin/audit?action=key.revoke", true)));
    p.add(
        new Probe(
            "operator API: row-sync users, first page",
            4,
            light,
            get("/admin/rowsync/users", true)));
    p.add(
        new Probe(
            "operator API: a user's bundles, first page (long history)",
            4,
            light,
            get("/admin/rowsync/user/bundles?user_id=" + encodedUser, true)));
    p.add(
        new Probe(
            "operator API: a user's bundles, a page in the middle",
            4,
            light,
            get(
                "/admin/rowsync/user/bundles?user_id=" + encodedUser + "&before=" + middleBundle,
                true)));
    return p;
  }

  /** A GET answered 200, with the operator's credentials or none. */
  private Load.Clients get(String path, boolean operator) {
    return client ->
        i -> {
          Http.Reply r =
              operator ? http.admin("GET", path, null) : http.send("GET", path, null, null);
          ServerLoads.expect(r, 200, path);
          return 1;
        };
  }

  /**
   * Snapshot session creates for {@code user}, each deleted again (only the create is timed): the
   * cost of a rebuilding device of a user with many rows.
   */
  Load.Measurement snapshotCreates(String user, int iterations, Duration limit) {
    SyncClient device = new SyncClient(http, user, "volume-rebuilding-device");
    List<Long> creates = new ArrayList<>();
    long rows = 0;
    long wall = 0;
    long deadline = System.nanoTime() + limit.toNanos();
    for (int i = 0; i < iterations && System.nanoTime() < deadline; i++) {
      long t0 = System.nanoTime();
      Http.Reply created = device.send("POST", "/sync/snapshot-sessions", null);
      long took = System.nanoTime() - t0;
      ServerLoads.expect(created, 200, "snapshot create");
      rows += created.json().getJsonNumber("row_count").longValue();
      creates.add(took);
      wall += took;
      ServerLoads.expect(
          device.send(
              "DELETE", "/sync/snapshot-sessions/" + created.json().getString("snapshot_id"), null),
          204,
          "snapshot delete");
    }
    return Load.Measurement.of(
        rows, wall, List.of(creates.stream().mapToLong(Long::longValue).toArray()));
  }

  /** What retention did while a user at its window went on pushing (issue 23, item 4). */
  record RetentionRun(
      String user,
      long window,
      Load.Measurement pushes,
      long retainedBefore,
      long retainedAfter,
      long floorBefore,
      long floorAfter) {}

  /**
   * A heavy user whose retained history is exactly its window pushes {@code bundles} more bundles
   * of {@link #BUNDLE_ROWS} new rows from a new device: each commit must prune the oldest bundle in
   * the same transaction (rowsync.md §13), so the history stays at the window and the floor moves
   * by one per bundle. Fails unless it does, and unless a pull after the old floor is refused with
   * {@code history_pruned}.
   */
  RetentionRun retention(String user, long window, int bundles, Duration limit, DataSource db)
      throws Exception {
    long[] before = history(db, user);
    SyncClient device = new SyncClient(http, user, "volume-writer");
    ServerLoads.expect(device.connect(false), 200, "connect " + user);
    Load.Measurement m =
        Load.run(
            1,
            bundles,
            limit,
            client ->
                i -> {
                  device.push(
                      i + 1L, DemoUsers.pushJson(DemoUsers.bundle(user, i + 1, BUNDLE_ROWS)));
                  return BUNDLE_ROWS;
                });
    long[] after = history(db, user);
    long pushed = m.ops();
    if (after[0] > window
        || (before[0] == window && (after[0] != window || after[1] != before[1] + pushed))) {
      throw new IllegalStateException(
          String.format(
              java.util.Locale.ROOT,
              "retention: %s pushed %d bundles at a window of %d: retained %d -> %d, floor %d -> %d",
              user,
              pushed,
              window,
              before[0],
              after[0],
              before[1],
              after[1]));
    }
    if (after[1] > 0) {
      Http.Reply pruned = device.send("GET", "/sync/pull?after_bundle_seq=" + after[1], null);
      ServerLoads.expect(pruned, 409, "pull after the pruned floor");
      if (!"history_pruned".equals(pruned.json().getString("error", ""))) {
        throw new IllegalStateException("pull after the pruned floor: " + pruned.text());
      }
    }
    return new RetentionRun(user, window, m, before[0], after[0], before[1], after[1]);
  }

  /** A user's retained bundles and retained floor. */
  private static long[] history(DataSource db, String user) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT (SELECT count(*) FROM sync.bundle_log b WHERE b.user_pk = u.user_pk),"
                    + " u.retained_bundle_floor FROM sync.user_state u WHERE u.user_id = ?")) {
      ps.setString(1, user);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no row-sync user " + user);
        }
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  /**
   * Reads the load back through the protocols and fails unless it is what the server would have
   * written: the heavy tenant's head is the chain root computed at load; a replay from the middle
   * has blocks whose hashes match their bytes and whose roots continue the chain from the root
   * computed there; a pull from the middle of the heavy user's history returns its bundles, each
   * hash the SHA-256 of its rows' canonical form (rowsync.md §11.2), each payload the canonical
   * form of its business row as the capture trigger reads it; and the operator API's totals count
   * what was loaded.
   */
  void check(VolumeLoad.Loaded loaded, VolumeLoad.Size size, DataSource db) throws SQLException {
    ReplicationClient worker = new ReplicationClient(http, VolumeLoad.HEAVY_TENANT_KEY);
    JsonObject head = worker.head().json();
    if (head.getJsonNumber("sequence_number").longValue() != loaded.heavyHead()
        || !head.getString("merkle_root").equals(loaded.headRoot())) {
      throw new IllegalStateException("volume check: head " + head + ", loaded " + loaded);
    }
    Http.Reply replay = worker.replay(loaded.middle());
    ServerLoads.expect(replay, 200, "volume check: replay");
    String root = loaded.middleRoot();
    long seq = loaded.middle();
    for (JsonValue v : replay.json().getJsonArray("chunks")) {
      JsonObject chunk = v.asJsonObject();
      String hash =
          ReplicationClient.sha256Hex(
              Base64.getDecoder().decode(chunk.getString("ciphertext_b64")));
      root = ReplicationClient.chain(root, hash);
      seq++;
      if (chunk.getJsonNumber("sequence_number").longValue() != seq
          || !chunk.getString("block_hash").equals(hash)
          || !chunk.getString("merkle_root").equals(root)) {
        throw new IllegalStateException("volume check: replay block " + seq + " does not verify");
      }
    }
    if (seq == loaded.middle()) {
      throw new IllegalStateException("volume check: replay from the middle returned no blocks");
    }

    long middle = size.heavyBundles() / 2;
    SyncClient device = new SyncClient(http, VolumeLoad.HEAVY_USER, "volume-check");
    Http.Reply pulled =
        device.send("GET", "/sync/pull?max_bundles=10&after_bundle_seq=" + middle, null);
    ServerLoads.expect(pulled, 200, "volume check: pull");
    JsonArray bundles = pulled.json().getJsonArray("bundles");
    if (bundles.size() != 10) {
      throw new IllegalStateException("volume check: pull returned " + bundles.size() + " bundles");
    }
    try (Connection c = db.getConnection();
        PreparedStatement row =
            c.prepareStatement(
                "SELECT (to_jsonb(u) - '_sync_scope_id')::text FROM demo.users u"
                    + " WHERE _sync_scope_id = ? AND id = ?::uuid")) {
      for (int b = 0; b < bundles.size(); b++) {
        JsonObject bundle = bundles.getJsonObject(b);
        if (bundle.getJsonNumber("bundle_seq").longValue() != middle + 1 + b) {
          throw new IllegalStateException("volume check: bundle " + bundle);
        }
        List<CanonicalJson.LogicalRow> logical = new ArrayList<>();
        for (JsonValue v : bundle.getJsonArray("rows")) {
          JsonObject r = v.asJsonObject();
          Map.Entry<String, JsonValue> key = r.getJsonObject("key").entrySet().iterator().next();
          String keyValue = ((jakarta.json.JsonString) key.getValue()).getString();
          String payload = CanonicalJson.canonicalize(r.get("payload"));
          logical.add(
              new CanonicalJson.LogicalRow(
                  r.getString("schema"),
                  r.getString("table"),
                  key.getKey(),
                  keyValue,
                  r.getString("op"),
                  r.getJsonNumber("row_version").longValue(),
                  payload));
          row.setString(1, VolumeLoad.HEAVY_USER);
          row.setString(2, keyValue);
          try (ResultSet rs = row.executeQuery()) {
            if (!rs.next() || !CanonicalJson.canonicalize(rs.getString(1)).equals(payload)) {
              throw new IllegalStateException(
                  "volume check: payload " + payload + " is not its business row's");
            }
          }
        }
        if (logical.size() != BUNDLE_ROWS
            || !CanonicalJson.bundleHash(logical).equals(bundle.getString("bundle_hash"))) {
          throw new IllegalStateException("volume check: bundle hash of " + bundle);
        }
      }
    }

    JsonObject users = http.admin("GET", "/admin/rowsync/users?limit=1", null).json();
    JsonObject tenants = http.admin("GET", "/admin/tenants?limit=1", null).json();
    if (users.getJsonNumber("total").longValue() < size.users()
        || tenants.getJsonNumber("total").longValue() < size.accounts()) {
      throw new IllegalStateException("volume check: totals " + users + " " + tenants);
    }
  }
}
