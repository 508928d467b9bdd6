package io.sealsync.platform;

import static io.sealsync.platform.BreakableJson.arr;
import static io.sealsync.platform.BreakableJson.obj;
import static io.sealsync.platform.Mutations.pick;

import io.sealsync.platform.MalformedCase.Expect;
import io.sealsync.platform.MalformedCase.Family;
import io.sealsync.platform.MalformedCase.Req;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.Jwts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Derives malformed requests from valid ones, for every agent-state, row-sync and operator route.
 * Case {@code id} is built from its own random stream (seed and id), so a seed reproduces every
 * request; only the identities (project tokens, user ids) are fresh on each run, which is what lets
 * the test tell which rows a refused request could have written.
 */
final class MalformedCases {
  /** Every way a client may spell the agent-state endpoint (agent-state.md §2.1). */
  static final List<String> AGENT_PREFIXES =
      List.of(
          "/v2-agent-state",
          "/functions/v1/v2-agent-state",
          "/v2-agent-state/v2",
          "/functions/v1/v2-agent-state/v2",
          "/v2",
          "/v1",
          "/functions",
          "/v2/v2-agent-state/v2",
          "/functions/v1/v2-agent-state//v2/",
          "/v1/functions/v2/v2-agent-state");

  static final long AGENT_STATE_BODY_CAP = 4L * 1024 * 1024;
  static final long ADMIN_BODY_CAP = JsonBodies.MAX_BODY_BYTES;
  static final long ROW_SYNC_BODY_CAP = 64L * 1024 * 1024;

  /** What the valid requests need to exist before the malformed ones are sent. */
  record Fixtures(
      String runId,
      List<String> agentReaders,
      List<String> syncPool,
      String syncReader,
      String syncReaderSource,
      List<String[]> victimPushes,
      List<String> victimSnapshots,
      long adminTenant,
      List<Long> victimKeys) {}

  /** Rows the fixtures leave behind, which no malformed request may change. */
  static final int READER_LOG_ENTRIES = 3;

  static final int READER_SNAPSHOTS = 2;
  static final int SYNC_READER_BUNDLES = 2;

  private final Fixtures fx;

  MalformedCases(Fixtures fx) {
    this.fx = fx;
  }

  /** The routes, each with its share of the cases. */
  private enum Route {
    AGENT_SNAPSHOT(16),
    AGENT_REPLICATE(16),
    AGENT_READ(14),
    SYNC_CONNECT(4),
    SYNC_PUSH_CREATE(5),
    SYNC_PUSH_CHUNK(9),
    SYNC_PUSH_SESSION(3),
    SYNC_COMMITTED_ROWS(3),
    SYNC_PULL(3),
    SYNC_SNAPSHOT_CREATE(3),
    SYNC_SNAPSHOT_SESSION(2),
    SYNC_WATCH(2),
    SYNC_CAPABILITIES(1),
    SYNCX(1),
    ADMIN_CREATE_TENANT(3),
    ADMIN_READ(3),
    ADMIN_ISSUE_KEY(3),
    ADMIN_REVOKE_KEY(1),
    ADMIN_CREDITS(3),
    ADMIN_SERVER_WRITES(3),
    RAW_HTTP(1);

    final int weight;

    Route(int weight) {
      this.weight = weight;
    }
  }

  private static final int TOTAL_WEIGHT =
      java.util.Arrays.stream(Route.values()).mapToInt(r -> r.weight).sum();

  static Random random(long seed, int id) {
    return new Random(seed * 0x9E3779B97F4A7C15L + id * 0xC2B2AE3D27D4EB4FL);
  }

  MalformedCase build(long seed, int id) {
    Random r = random(seed, id);
    int w = r.nextInt(TOTAL_WEIGHT);
    Route route = Route.values()[0];
    for (Route candidate : Route.values()) {
      w -= candidate.weight;
      if (w < 0) {
        route = candidate;
        break;
      }
    }
    return switch (route) {
      case AGENT_SNAPSHOT -> agentSnapshot(id, r);
      case AGENT_REPLICATE -> agentReplicate(id, r);
      case AGENT_READ -> agentRead(id, r);
      case SYNC_CONNECT -> syncConnect(id, r);
      case SYNC_PUSH_CREATE -> syncPushCreate(id, r);
      case SYNC_PUSH_CHUNK -> syncPushChunk(id, r);
      case SYNC_PUSH_SESSION -> syncPushSession(id, r);
      case SYNC_COMMITTED_ROWS -> syncCommittedRows(id, r);
      case SYNC_PULL -> syncPull(id, r);
      case SYNC_SNAPSHOT_CREATE -> syncSnapshotCreate(id, r);
      case SYNC_SNAPSHOT_SESSION -> syncSnapshotSession(id, r);
      case SYNC_WATCH -> syncWatch(id, r);
      case SYNC_CAPABILITIES -> syncCapabilities(id, r);
      case SYNCX -> syncx(id, r);
      case ADMIN_CREATE_TENANT -> adminCreateTenant(id, r);
      case ADMIN_READ -> adminRead(id, r);
      case ADMIN_ISSUE_KEY -> adminIssueKey(id, r);
      case ADMIN_REVOKE_KEY -> adminRevokeKey(id, r);
      case ADMIN_CREDITS -> adminCredits(id, r);
      case ADMIN_SERVER_WRITES -> adminServerWrites(id, r);
      case RAW_HTTP -> rawHttp(id, r);
    };
  }

  // ================================ agent-state ================================

  private MalformedCase agentSnapshot(int id, Random r) {
    String token = Http.newProjectToken();
    byte[] blob = bytes(r, 1 + r.nextInt(512));
    BreakableJson body =
        obj(
            "agent_id",
            "agent-" + r.nextInt(1000),
            "sequence_number",
            0,
            "parent_snapshot",
            null,
            "policy_hash",
            "0".repeat(64),
            "client_payload_hash",
            HexFormat.of().formatHex(bytes(r, 32)),
            "ciphertext_b64",
            Base64.getEncoder().encodeToString(blob),
            "byte_size",
            blob.length,
            "timestamp",
            "2026-11-23T12:00:00.000Z");
    MalformedCase c = new MalformedCase(id, Family.AGENT_STATE, "POST snapshot");
    Req req = new Req("POST", pick(r, AGENT_PREFIXES) + "/snapshot").json(body.bytes());
    req.header("Authorization", "Bearer " + token);
    agentWrite(c, r, req, body);
    return tenantAbsent(c, token);
  }

  private MalformedCase agentReplicate(int id, Random r) {
    String token = Http.newProjectToken();
    byte[] blob = bytes(r, 1 + r.nextInt(512));
    String hash = sha256(blob);
    String root = sha256(HexFormat.of().parseHex("0".repeat(64)), HexFormat.of().parseHex(hash));
    BreakableJson body =
        obj(
            "chunks",
            arr(
                obj(
                    "sequence_number",
                    0,
                    "block_hash",
                    hash,
                    "ciphertext_b64",
                    Base64.getEncoder().encodeToString(blob))),
            "merkle_root",
            root);
    MalformedCase c = new MalformedCase(id, Family.AGENT_STATE, "POST replicate");
    Req req = new Req("POST", pick(r, AGENT_PREFIXES) + "/replicate").json(body.bytes());
    req.header("Authorization", "Bearer " + token);
    agentWrite(c, r, req, body);
    return tenantAbsent(c, token);
  }

  /** The one mutation of a valid agent-state write. */
  private void agentWrite(MalformedCase c, Random r, Req valid, BreakableJson body) {
    Req req = valid.copy();
    Expect expect = null;
    String kind;
    int k = r.nextInt(100);
    if (k < 35) {
      Mutations.Mutant<BreakableJson> m = Mutations.mutateMember(r, body, 1_000_000);
      kind = m.kind();
      req.body = m.value().bytes();
    } else if (k < 41) {
      kind = "truncated";
      req.body = Mutations.truncate(r, valid.body);
      expect = Expect.of(400, "invalid_json");
    } else if (k < 47) {
      kind = "syntax";
      req.body = Mutations.breakSyntax(r, valid.body);
    } else if (k < 51) {
      kind = "trailing-garbage";
      req.body = Mutations.trailingGarbage(r, valid.body);
      expect = Expect.of(400, "invalid_json");
    } else if (k < 59) {
      Mutations.Mutant<byte[]> m = Mutations.notAnObject(r, valid.body);
      kind = "body " + m.kind();
      req.body = m.value();
      // A parser without a number length limit would see the object and judge its fields.
      expect = m.kind().contains("huge-number") ? Expect.of(400) : Expect.of(400, "invalid_json");
    } else if (k < 61) {
      kind = "deep-body";
      req.body = Mutations.deepBody(r);
      expect = Expect.of(400);
    } else if (k < 63) {
      Mutations.Mutant<byte[]> m = Mutations.reencode(r, valid.body);
      kind = m.kind();
      req.body = m.value();
    } else if (k < 66) {
      kind = "invalid-utf8";
      req.body = insert(r, valid.body, Mutations.invalidUtf8(r).bytes());
    } else if (k < 68) {
      kind = "oversize";
      req.padTo = AGENT_STATE_BODY_CAP + 1 + r.nextInt(100_000);
      expect = Expect.of(413, "request_too_large");
    } else if (k < 74) {
      String type = Mutations.contentType(r);
      kind = "content-type " + (type == null ? "(none)" : MalformedCase.excerpt(type, 40));
      req.header("Content-Type", type);
    } else if (k < 80) {
      req.method = Mutations.method(r, "POST");
      kind = "method " + req.method;
      expect = agentWrongMethod(req.method);
    } else if (k < 86) {
      kind = agentPathTail(r, req, false);
      expect = Expect.of(404, "route_not_found");
    } else if (k < 90) {
      kind = "query";
      req.query = garbageQuery(r);
    } else if (k < 96) {
      kind = agentAuth(r, req, c);
      expect = Expect.anyOf(Set.of(401), "missing_or_invalid_bearer_token", "invalid_api_key");
    } else {
      kind = headers(r, req, c);
    }
    c.mutation = kind;
    c.req = req;
    c.expect = expect;
  }

  /** A wrong method is the protocol's 404 (§2.2), unless it is a standard one in another case. */
  private static Expect agentWrongMethod(String method) {
    return Mutations.lenientSpelling(method) ? null : Expect.of(404, "route_not_found");
  }

  private MalformedCase agentRead(int id, Random r) {
    boolean reader = r.nextInt(10) < 7;
    String token = reader ? pick(r, fx.agentReaders()) : Http.newProjectToken();
    String agent = "reader";
    String prefix = pick(r, AGENT_PREFIXES);
    int which = r.nextInt(6);
    String tail;
    String query = null;
    String name;
    switch (which) {
      case 0 -> {
        name = "GET snapshot/{agent}/latest";
        tail = "/snapshot/" + agent + "/latest";
      }
      case 1 -> {
        name = "GET snapshot/{agent}/lineage";
        tail = "/snapshot/" + agent + "/lineage";
        query = "limit=10";
      }
      case 2 -> {
        name = "GET snapshot/{agent}/{seq}";
        tail = "/snapshot/" + agent + "/" + r.nextInt(READER_SNAPSHOTS);
      }
      case 3 -> {
        name = "GET head";
        tail = "/head";
      }
      case 4 -> {
        name = "GET replay";
        tail = "/replay";
        query = "since=-1";
      }
      default -> {
        name = "GET receipt-key";
        tail = "/receipt-key";
      }
    }
    MalformedCase c = new MalformedCase(id, Family.AGENT_STATE, name);
    Req req = new Req("GET", prefix + tail);
    req.query = query;
    req.header("Authorization", "Bearer " + token);
    Expect expect = null;
    String kind;
    int k = r.nextInt(100);
    if (k < 30) {
      kind = "query";
      req.query = mutateQuery(r, req.query);
    } else if (k < 45 && which <= 2) {
      String[] segments = tail.substring(1).split("/");
      int at = which == 2 && r.nextBoolean() ? 2 : 1;
      segments[at] = at == 2 ? Mutations.badNumberSegment(r) : Mutations.garbageSegment(r);
      req.path = prefix + "/" + String.join("/", segments);
      kind = (at == 1 ? "agent " : "seq ") + segments[at];
      // Lineage of an unknown agent is an empty list; some spellings of a number are numbers.
      expect =
          Expect.anyOf(
              Set.of(200, 400, 404),
              "bad_agent_id",
              "bad_path_sequence",
              "bad_sequence",
              "no_snapshots_for_agent",
              "snapshot_not_found",
              "route_not_found");
      if (segments[at].equals("..") || segments[at].contains("%2F")) {
        // The server may resolve dot segments, and %2F yields an agent id with a slash.
        expect = null;
      }
    } else if (k < 55) {
      kind = agentPathTail(r, req, which <= 2);
      expect = Expect.of(404, "route_not_found");
    } else if (k < 70) {
      req.method = Mutations.method(r, "GET");
      kind = "method " + req.method;
      expect = agentWrongMethod(req.method);
      if (r.nextBoolean()) {
        req.json("{}".getBytes(StandardCharsets.UTF_8));
      }
    } else if (k < 80) {
      kind = agentAuth(r, req, c);
      expect = Expect.anyOf(Set.of(401), "missing_or_invalid_bearer_token", "invalid_api_key");
    } else if (k < 86) {
      kind = "body on GET";
      req.json(
          pick(r, "{", "[]", "null", "{\"a\":" + "1".repeat(100_000) + "}")
              .getBytes(StandardCharsets.UTF_8));
    } else {
      kind = headers(r, req, c);
    }
    c.mutation = kind;
    c.req = req;
    c.expect = expect;
    if (reader) {
      // A read changes nothing; the reader's rows stay as the fixture made them.
      return c.subject("agent-reader:" + token, agentReaderUnchanged(token));
    }
    return tenantAbsent(c, token);
  }

  /**
   * A path that no longer names the route: a garbage segment appended, inserted or replacing.
   * {@code threeSegments}: a snapshot read, whose last segment, replaced, would name a sequence.
   */
  private static String agentPathTail(Random r, Req req, boolean threeSegments) {
    String garbage = Mutations.garbageSegment(r);
    while (garbage.equals("..")
        || garbage.equals(".")
        || garbage.contains(";")
        || garbage.equals("%20")) {
      garbage = Mutations.garbageSegment(r);
    }
    int slash = req.path.lastIndexOf('/');
    String route = req.path.substring(slash + 1);
    int how = threeSegments ? 3 * r.nextInt(2) : r.nextInt(4);
    switch (how) {
      case 0 -> req.path = req.path + "/" + garbage;
      case 1 -> req.path = req.path.substring(0, slash + 1) + garbage;
      case 2 -> req.path = req.path.substring(0, slash + 1) + route.toUpperCase(Locale.ROOT) + "x";
      default -> req.path = req.path.substring(0, slash) + "/" + garbage + "/" + route;
    }
    return "path " + garbage;
  }

  /** Authorization values that match neither bearer form, or name no key. */
  private static String agentAuth(Random r, Req req, MalformedCase c) {
    String token = req.header("Authorization");
    String bare = token.substring("Bearer ".length());
    String value =
        Mutations.lazy(
            r,
            () -> null,
            () -> "",
            () -> "Bearer",
            () -> "Bearer ",
            () -> "bearer " + bare,
            () -> "BEARER " + bare,
            () -> "Bearer " + bare.toUpperCase(Locale.ROOT),
            () -> "Bearer " + bare + "x",
            () -> "Bearer " + bare.substring(0, bare.length() - 1),
            () ->
                "Bearer sov_proj_" + UUID.nameUUIDFromBytes(bare.getBytes(StandardCharsets.UTF_8)),
            () -> "Bearer sov_proj_mock_key",
            () -> "Bearer sov_test_" + UUID.randomUUID(),
            () -> "Bearer sov_live_",
            () -> "Bearer sov_live_" + Mutations.randomToken(r, 40),
            () -> "Bearer sov_live_" + Mutations.randomToken(r, 10_000),
            () -> "Bearer sov_live_abc-def",
            () -> "Basic YWRtaW46c2VhbHN5bmMtZGV2LWFkbWlu",
            () -> "Basic !!!not-base64!!!",
            () -> "Bearer " + Jwts.forUser("someone"),
            () -> bare,
            () -> "Bearer " + bare + " " + bare,
            () -> "Bearer " + "x".repeat(6_000));
    req.header("Authorization", value);
    // Servers limit a request's header section (often to 8 KiB) and may refuse it themselves.
    c.httpLevel = value != null && value.length() > 7_000;
    return "auth " + (value == null ? "missing" : MalformedCase.excerpt(value, 40));
  }

  private MalformedCase tenantAbsent(MalformedCase c, String token) {
    String hash = sha256(token.getBytes(StandardCharsets.UTF_8));
    return c.subject(
        "agent-tenant:" + hash,
        db ->
            count(db, "SELECT count(*) FROM tenant WHERE token_hash = ?", hash) == 0
                ? List.of()
                : List.of("a tenant row exists for the token of a refused request"));
  }

  private static MalformedCase.Check agentReaderUnchanged(String token) {
    String hash = sha256(token.getBytes(StandardCharsets.UTF_8));
    return db -> {
      long log =
          count(
              db,
              "SELECT count(*) FROM replication_log l JOIN tenant t ON t.id = l.tenant_id"
                  + " WHERE t.token_hash = ?",
              hash);
      long snaps =
          count(
              db,
              "SELECT count(*) FROM agent_state_snapshots s JOIN tenant t ON t.id = s.tenant_id"
                  + " WHERE t.token_hash = ?",
              hash);
      return log == READER_LOG_ENTRIES && snaps == READER_SNAPSHOTS
          ? List.of()
          : List.of("reader tenant changed: " + log + " log entries, " + snaps + " snapshots");
    };
  }

  // ================================ row sync ================================

  private Req syncReq(String method, String path, String user, String source) {
    Req req = new Req(method, path);
    req.header("Authorization", "Bearer " + Jwts.forUser(user));
    req.header("Oversync-Source-ID", source);
    return req;
  }

  private String freshUser(int id) {
    return "mal-" + fx.runId() + "-" + id;
  }

  private MalformedCase syncConnect(int id, Random r) {
    String user = freshUser(id);
    BreakableJson body = obj("has_local_pending_rows", r.nextBoolean());
    MalformedCase c = new MalformedCase(id, Family.ROW_SYNC, "POST /sync/connect");
    Req req = syncReq("POST", "/sync/connect", user, "src-" + id).json(body.bytes());
    syncWrite(c, r, req, body, "invalid_request", true);
    return syncUserAbsent(c, user);
  }

  private MalformedCase syncPushCreate(int id, Random r) {
    String user = pick(r, fx.syncPool());
    String source = "src-" + fx.runId() + "-" + id;
    BreakableJson body = obj("source_bundle_id", 1, "planned_row_count", 1 + r.nextInt(10));
    MalformedCase c = new MalformedCase(id, Family.ROW_SYNC, "POST /sync/push-sessions");
    Req req = syncReq("POST", "/sync/push-sessions", user, source).json(body.bytes());
    syncWrite(c, r, req, body, "invalid_request", true);
    return c.subject("sync-source:" + user + "/" + source, sourceUnused(user, source));
  }

  private MalformedCase syncPushChunk(int id, Random r) {
    String user = pick(r, fx.syncPool());
    String source = "src-" + fx.runId() + "-" + id;
    List<BreakableJson> rows = validRows(r, id);
    BreakableJson body = obj("start_row_ordinal", 0, "rows", new BreakableJson.Arr(rows));
    MalformedCase c =
        new MalformedCase(id, Family.ROW_SYNC, "POST /sync/push-sessions/{id}/chunks");
    Req create =
        syncReq("POST", "/sync/push-sessions", user, source)
            .json(
                ("{\"source_bundle_id\":1,\"planned_row_count\":" + rows.size() + "}")
                    .getBytes(StandardCharsets.UTF_8));
    c.setup =
        sender -> {
          MalformedCase.Answer a = sender.send(create, Map.of());
          if (a.status() != 200) {
            throw new IllegalStateException("push session not created: " + a.status() + a.text());
          }
          String pushId =
              jakarta.json.Json.createReader(new java.io.StringReader(a.text()))
                  .readObject()
                  .getString("push_id");
          return Map.of("push", pushId);
        };
    Req req = syncReq("POST", "/sync/push-sessions/{push}/chunks", user, source).json(body.bytes());
    syncWrite(c, r, req, body, "invalid_request", false);
    c.followUp = syncReq("POST", "/sync/push-sessions/{push}/commit", user, source);
    c.subject(
        "push-session:" + c.id,
        db -> {
          String push = c.vars.get("push");
          if (push == null || c.answers.isEmpty() || c.answers.get(0).accepted()) {
            return List.of();
          }
          long staged =
              count(
                  db, "SELECT count(*) FROM sync.push_session_rows WHERE push_id = ?::uuid", push);
          long next =
              count(
                  db,
                  "SELECT coalesce(max(next_expected_row_ordinal), 0) FROM sync.push_sessions"
                      + " WHERE push_id = ?::uuid",
                  push);
          return staged == 0 && next == 0
              ? List.of()
              : List.of("a refused chunk left " + staged + " staged rows, next ordinal " + next);
        });
    c.subjectIfLastRefused(
        "sync-bundle:" + user + "/" + source,
        db ->
            count(
                        db,
                        "SELECT count(*) FROM sync.bundle_log b JOIN sync.user_state u"
                            + " ON u.user_pk = b.user_pk WHERE u.user_id = ? AND b.source_id = ?",
                        user,
                        source)
                    == 0
                ? List.of()
                : List.of("a bundle exists for a refused push"));
    return c;
  }

  /** Rows of every demo table, foreign keys closed, keys fresh for the case. */
  private static List<BreakableJson> validRows(Random r, int id) {
    String team = uuid(r);
    String user = uuid(r);
    String post = uuid(r);
    String file = uuid(r);
    List<BreakableJson> rows = new ArrayList<>();
    rows.add(row("teams", "id", team, obj("id", team, "name", "team " + id)));
    int depth = r.nextInt(4);
    if (depth >= 1) {
      rows.add(
          row(
              "users",
              "id",
              user,
              obj(
                  "id",
                  user,
                  "team_id",
                  team,
                  "email",
                  "u" + id + "@example.com",
                  "age",
                  30,
                  "active",
                  true,
                  "created_at",
                  "2026-01-01T00:00:00Z")));
    }
    if (depth >= 2) {
      rows.add(
          row(
              "posts",
              "id",
              post,
              obj(
                  "id",
                  post,
                  "author_id",
                  user,
                  "title",
                  "hello",
                  "score",
                  new BreakableJson.Raw("1.5"))));
    }
    if (depth >= 3) {
      rows.add(
          row(
              "files",
              "id",
              file,
              obj("id", file, "post_id", post, "name", "f.txt", "content", "aGVsbG8=")));
    }
    if (r.nextBoolean()) {
      String tag = "tag-" + id;
      rows.add(row("tags", "name", tag, obj("name", tag, "color", "red")));
    }
    return rows;
  }

  private static BreakableJson row(String table, String keyColumn, String key, BreakableJson p) {
    return obj(
        "schema",
        "demo",
        "table",
        table,
        "key",
        obj(keyColumn, key),
        "op",
        "INSERT",
        "base_row_version",
        0,
        "payload",
        p);
  }

  /** Commit, delete and chunk of sessions that are not the caller's, or ids that name none. */
  private MalformedCase syncPushSession(int id, Random r) {
    String[] victim = pick(r, fx.victimPushes());
    String owner = victim[0];
    String ownerSource = victim[1];
    String pushId = victim[2];
    int op = r.nextInt(3);
    String suffix = op == 0 ? "/commit" : op == 1 ? "" : "/chunks";
    String method = op == 1 ? "DELETE" : "POST";
    MalformedCase c =
        new MalformedCase(id, Family.ROW_SYNC, method + " /sync/push-sessions/{id}" + suffix);
    Req req;
    Expect expect;
    String kind;
    int k = r.nextInt(100);
    if (k < 35) {
      String bad = Mutations.badUuid(r, UUID.fromString(pushId));
      req = syncReq(method, "/sync/push-sessions/" + bad + suffix, owner, ownerSource);
      kind = "id " + MalformedCase.excerpt(bad, 40);
      expect = notFoundOrUndecodable(bad, "push_session_not_found");
    } else if (k < 45 && op != 1) {
      // Never a delete: a server may read the respelled id as the victim's own.
      String respelled = Mutations.respelledUuid(r, UUID.fromString(pushId));
      req = syncReq(method, "/sync/push-sessions/" + respelled + suffix, owner, ownerSource);
      kind = "id respelled " + respelled;
      expect = null;
    } else if (k < 75) {
      String other = otherPoolUser(r, owner);
      req = syncReq(method, "/sync/push-sessions/" + pushId + suffix, other, "src-other");
      kind = "other user's session";
      expect = Expect.of(403, "push_session_forbidden");
    } else if (k < 85 && op == 0) {
      // The owner's commit of a session still missing rows: refused, the session survives.
      req = syncReq(method, "/sync/push-sessions/" + pushId + suffix, owner, ownerSource);
      kind = "commit of an incomplete session";
      expect = Expect.of(400, "push_commit_invalid");
    } else {
      req = syncReq(method, "/sync/push-sessions/" + pushId + suffix, owner, ownerSource);
      req.method = Mutations.method(r, method);
      kind = "method " + req.method;
      expect = syncWrongMethod(req.method);
    }
    if (op == 2 && req.body == null) {
      req.json("{\"start_row_ordinal\":0,\"rows\":[]}".getBytes(StandardCharsets.UTF_8));
      if (expect != null && expect.codes().contains("push_session_not_found")) {
        // An empty chunk is refused before the session is looked up.
        expect = Expect.anyOf(Set.of(400, 404), "push_chunk_invalid", "push_session_not_found");
      }
      if (expect != null && expect.codes().contains("push_session_forbidden")) {
        expect = Expect.anyOf(Set.of(400, 403), "push_chunk_invalid", "push_session_forbidden");
      }
    }
    c.mutation = kind;
    c.req = req;
    c.expect = expect;
    return c.subject("victim-push:" + pushId, victimPushUnchanged(pushId));
  }

  /**
   * An id that names nothing is 404 with the route's code; one whose escapes are no UTF-8 makes a
   * path that does not decode at all: 400 invalid_request, before any route.
   */
  private static Expect notFoundOrUndecodable(String id, String code) {
    return RequestTargets.hasUtf8Escapes(id)
        ? Expect.of(404, code)
        : Expect.of(400, "invalid_request");
  }

  private String otherPoolUser(Random r, String not) {
    String other;
    do {
      other = pick(r, fx.syncPool());
    } while (other.equals(not));
    return other;
  }

  private static Expect syncWrongMethod(String method) {
    if (method.equals("OPTIONS") || Mutations.lenientSpelling(method)) {
      // JAX-RS answers OPTIONS itself (the allowed methods); the reference host answers 204.
      return null;
    }
    return new Expect(Set.of(405), Set.of(), "wrong method");
  }

  private MalformedCase syncCommittedRows(int id, Random r) {
    boolean reader = r.nextInt(10) < 6;
    String user = reader ? fx.syncReader() : freshUser(id);
    MalformedCase c =
        new MalformedCase(id, Family.ROW_SYNC, "GET /sync/committed-bundles/{seq}/rows");
    Req req =
        syncReq(
            "GET",
            "/sync/committed-bundles/" + (1 + r.nextInt(SYNC_READER_BUNDLES)) + "/rows",
            user,
            reader ? fx.syncReaderSource() : "src-" + id);
    req.query = "after_row_ordinal=0&max_rows=100";
    syncRead(c, r, req, "committed-bundles/");
    return reader ? c.subject("sync-reader", syncReaderUnchanged()) : syncUserAbsent(c, user);
  }

  private MalformedCase syncPull(int id, Random r) {
    boolean reader = r.nextInt(10) < 6;
    String user = reader ? fx.syncReader() : freshUser(id);
    MalformedCase c = new MalformedCase(id, Family.ROW_SYNC, "GET /sync/pull");
    Req req = syncReq("GET", "/sync/pull", user, reader ? fx.syncReaderSource() : "src-" + id);
    req.query =
        "after_bundle_seq=0&max_bundles=100" + (r.nextBoolean() ? "&target_bundle_seq=1" : "");
    syncRead(c, r, req, null);
    return reader ? c.subject("sync-reader", syncReaderUnchanged()) : syncUserAbsent(c, user);
  }

  private MalformedCase syncWatch(int id, Random r) {
    // Always a user that never connected: a watch that was accepted would stream until timeout.
    String user = freshUser(id);
    MalformedCase c = new MalformedCase(id, Family.ROW_SYNC, "GET /sync/watch");
    Req req = syncReq("GET", "/sync/watch", user, "src-" + id);
    req.query = "after_bundle_seq=0";
    req.header("Accept", "text/event-stream");
    syncRead(c, r, req, null);
    if (c.req.method.equals("POST") || c.req.method.equals("PUT")) {
      c.req.json("{}".getBytes(StandardCharsets.UTF_8));
    }
    return syncUserAbsent(c, user);
  }

  private MalformedCase syncCapabilities(int id, Random r) {
    String user = pick(r, fx.syncPool());
    MalformedCase c = new MalformedCase(id, Family.ROW_SYNC, "GET /sync/capabilities");
    Req req = syncReq("GET", "/sync/capabilities", user, "src-" + id);
    syncRead(c, r, req, null);
    return c;
  }

  private MalformedCase syncx(int id, Random r) {
    String path = pick(r, "/syncx/health", "/syncx/status");
    MalformedCase c = new MalformedCase(id, Family.ROW_SYNC, "GET " + path);
    Req req = new Req("GET", path);
    int k = r.nextInt(4);
    if (k == 0) {
      req.method = Mutations.method(r, "GET");
      c.mutation = "method " + req.method;
      c.expect = req.method.equals("HEAD") ? null : syncWrongMethod(req.method);
    } else if (k == 1) {
      req.query = garbageQuery(r);
      c.mutation = "query";
    } else if (k == 2) {
      req.path = path + "/" + Mutations.garbageSegment(r);
      c.mutation = "path";
    } else {
      c.mutation = headers(r, req, c);
    }
    c.req = req;
    return c;
  }

  /** A GET route's one mutation: query, a path segment, method, or headers. */
  private void syncRead(MalformedCase c, Random r, Req valid, String numericSegmentAfter) {
    Req req = valid.copy();
    Expect expect = null;
    String kind;
    int k = r.nextInt(100);
    if (k < 35) {
      kind = "query";
      req.query = mutateQuery(r, req.query);
    } else if (k < 50 && numericSegmentAfter != null) {
      String bad = Mutations.badNumberSegment(r);
      int at = req.path.indexOf(numericSegmentAfter) + numericSegmentAfter.length();
      int end = req.path.indexOf('/', at);
      req.path = req.path.substring(0, at) + bad + req.path.substring(end);
      kind = "path number " + bad;
    } else if (k < 55) {
      kind = "path " + syncPathGarbage(r, req);
    } else if (k < 70) {
      req.method = Mutations.method(r, req.method);
      kind = "method " + req.method;
      expect = syncWrongMethod(req.method);
    } else {
      kind = syncHeaders(r, req, c);
      expect = syncHeaderExpectation(kind);
    }
    c.mutation = kind;
    c.req = req;
    c.expect = expect;
  }

  private static Expect syncHeaderExpectation(String kind) {
    if (kind.startsWith("auth")) {
      return new Expect(Set.of(401), Set.of(), "host authentication");
    }
    if (kind.startsWith("source missing")) {
      return Expect.of(400, "invalid_request");
    }
    return null;
  }

  /**
   * A POST route's one mutation. {@code badJson}: the route's code for a body that is no JSON
   * object; {@code emptyIsBad}: whether an empty body is one too.
   */
  private void syncWrite(
      MalformedCase c,
      Random r,
      Req valid,
      BreakableJson body,
      String badJson,
      boolean emptyIsBad) {
    Req req = valid.copy();
    Expect expect = null;
    String kind;
    int k = r.nextInt(100);
    if (k < 40) {
      Mutations.Mutant<BreakableJson> m = Mutations.mutateMember(r, body, 1_000_000);
      kind = m.kind();
      req.body = m.value().bytes();
    } else if (k < 46) {
      kind = "truncated";
      req.body = Mutations.truncate(r, valid.body);
      expect = req.body.length == 0 && !emptyIsBad ? null : Expect.of(400, badJson);
    } else if (k < 52) {
      kind = "syntax";
      req.body = Mutations.breakSyntax(r, valid.body);
    } else if (k < 55) {
      kind = "trailing-garbage";
      req.body = Mutations.trailingGarbage(r, valid.body);
      expect = Expect.of(400, badJson);
    } else if (k < 63) {
      Mutations.Mutant<byte[]> m = Mutations.notAnObject(r, valid.body);
      kind = "body " + m.kind();
      req.body = m.value();
      boolean empty = m.kind().equals("empty-body") || m.kind().equals("whitespace-body");
      expect = empty && !emptyIsBad ? null : Expect.of(400, badJson);
    } else if (k < 65) {
      kind = "deep-body";
      req.body = Mutations.deepBody(r);
    } else if (k < 67) {
      Mutations.Mutant<byte[]> m = Mutations.reencode(r, valid.body);
      kind = m.kind();
      req.body = m.value();
    } else if (k < 70) {
      kind = "invalid-utf8";
      req.body = insert(r, valid.body, Mutations.invalidUtf8(r).bytes());
    } else if (k < 71 && r.nextInt(40) == 0) {
      kind = "oversize";
      req.padTo = ROW_SYNC_BODY_CAP + 1;
      // The HTTP layer may have a body limit of its own below the protocol's (WildFly: 10 MB).
      c.mayDrop = c.httpLevel = true;
    } else if (k < 75) {
      String type = Mutations.contentType(r);
      kind = "content-type " + (type == null ? "(none)" : MalformedCase.excerpt(type, 40));
      req.header("Content-Type", type);
    } else if (k < 82) {
      req.method = Mutations.method(r, "POST");
      kind = "method " + req.method;
      expect = syncWrongMethod(req.method);
    } else if (k < 86) {
      kind = "path " + syncPathGarbage(r, req);
    } else if (k < 88) {
      kind = "query";
      req.query = garbageQuery(r);
    } else {
      kind = syncHeaders(r, req, c);
      expect = syncHeaderExpectation(kind);
    }
    c.mutation = kind;
    c.req = req;
    c.expect = expect;
  }

  private static String syncPathGarbage(Random r, Req req) {
    String g = Mutations.garbageSegment(r);
    switch (r.nextInt(4)) {
      case 0 -> req.path = req.path + "/" + g;
      case 1 -> req.path = req.path + "/";
      case 2 -> req.path = req.path.replaceFirst("/(sync|admin)/", "/$1//");
      default -> {
        // Upper case, except the placeholders a setup fills in.
        StringBuilder sb = new StringBuilder();
        for (String segment : req.path.substring(1).split("/", -1)) {
          sb.append('/')
              .append(segment.startsWith("{") ? segment : segment.toUpperCase(Locale.ROOT));
        }
        req.path = sb.toString();
        return "upper case";
      }
    }
    return g;
  }

  /** Authentication and source header mutations of row sync, or generic header mutations. */
  private static String syncHeaders(Random r, Req req, MalformedCase c) {
    int k = r.nextInt(10);
    if (k < 4) {
      String value =
          Mutations.lazy(
              r,
              () -> null,
              () -> "",
              () -> "Bearer",
              () -> "Bearer ",
              () -> "Bearer garbage",
              () -> "Bearer a.b.c",
              () -> "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
              () -> "Bearer " + Jwts.sign("someone", Jwts.ISSUER, "x".repeat(40)),
              () -> "Bearer " + Jwts.sign("someone", "another-issuer", Jwts.SHARED_KEY),
              () -> "Bearer " + "eyJ" + Mutations.randomToken(r, 200),
              () -> "Bearer " + Http.newProjectToken(),
              () -> "Bearer " + "x".repeat(6_000),
              () -> "Basic YWRtaW46c2VhbHN5bmMtZGV2LWFkbWlu",
              () -> "Basic !!!not-base64!!!",
              () -> "bearer " + req.header("Authorization").substring(7));
      req.header("Authorization", value);
      return "auth " + (value == null ? "missing" : MalformedCase.excerpt(value, 40));
    }
    if (k < 6) {
      String value = pick(r, null, "", "   ", "\t");
      req.header("Oversync-Source-ID", value);
      return "source missing " + (value == null ? "(no header)" : "'" + value + "'");
    }
    if (k < 7) {
      String value =
          Mutations.lazy(
              r,
              () -> Mutations.randomToken(r, 5_000),
              () -> "a".repeat(5_000),
              () -> "a,b",
              () -> "../../x",
              () -> "%00");
      req.header("Oversync-Source-ID", value);
      return "source " + MalformedCase.excerpt(value, 40);
    }
    return headers(r, req, c);
  }

  private MalformedCase syncSnapshotCreate(int id, Random r) {
    String user = freshUser(id);
    String source = "src-" + id;
    boolean initialized = r.nextBoolean();
    MalformedCase c = new MalformedCase(id, Family.ROW_SYNC, "POST /sync/snapshot-sessions");
    if (initialized) {
      Req connect =
          syncReq("POST", "/sync/connect", user, source)
              .json("{\"has_local_pending_rows\":false}".getBytes(StandardCharsets.UTF_8));
      c.setup =
          sender -> {
            MalformedCase.Answer a = sender.send(connect, Map.of());
            if (a.status() != 200) {
              throw new IllegalStateException("connect: " + a.status() + " " + a.text());
            }
            return Map.of();
          };
    }
    BreakableJson body =
        r.nextBoolean()
            ? obj()
            : obj(
                "source_replacement",
                obj(
                    "previous_source_id",
                    source,
                    "new_source_id",
                    "src-new-" + id,
                    "reason",
                    "history_pruned"));
    Req req = syncReq("POST", "/sync/snapshot-sessions", user, source).json(body.bytes());
    // No body at all is the keep-source rebuild: valid.
    syncWrite(c, r, req, body, "snapshot_session_invalid", false);
    if (!initialized) {
      return syncUserAbsent(c, user);
    }
    return c.subject(
        "sync-snapshots:" + user,
        db -> {
          long sessions =
              count(
                  db,
                  "SELECT count(*) FROM sync.snapshot_sessions s JOIN sync.user_state u"
                      + " ON u.user_pk = s.user_pk WHERE u.user_id = ?",
                  user);
          long retired =
              count(
                  db,
                  "SELECT count(*) FROM sync.source_state s JOIN sync.user_state u"
                      + " ON u.user_pk = s.user_pk WHERE u.user_id = ? AND s.state = 'retired'",
                  user);
          return sessions == 0 && retired == 0
              ? List.of()
              : List.of(
                  "refused snapshot create left "
                      + sessions
                      + " sessions, "
                      + retired
                      + " retired sources");
        });
  }

  private MalformedCase syncSnapshotSession(int id, Random r) {
    String snapshotId = pick(r, fx.victimSnapshots());
    boolean delete = r.nextInt(3) == 0;
    String method = delete ? "DELETE" : "GET";
    MalformedCase c =
        new MalformedCase(id, Family.ROW_SYNC, method + " /sync/snapshot-sessions/{id}");
    String owner = fx.syncReader();
    Req req;
    Expect expect = null;
    String kind;
    int k = r.nextInt(100);
    if (k < 30) {
      String bad = Mutations.badUuid(r, UUID.fromString(snapshotId));
      req = syncReq(method, "/sync/snapshot-sessions/" + bad, owner, fx.syncReaderSource());
      kind = "id " + MalformedCase.excerpt(bad, 40);
      expect = notFoundOrUndecodable(bad, "snapshot_session_not_found");
    } else if (k < 40 && !delete) {
      String respelled = Mutations.respelledUuid(r, UUID.fromString(snapshotId));
      req = syncReq(method, "/sync/snapshot-sessions/" + respelled, owner, fx.syncReaderSource());
      kind = "id respelled " + respelled;
    } else if (k < 65) {
      String other = pick(r, fx.syncPool());
      req = syncReq(method, "/sync/snapshot-sessions/" + snapshotId, other, "src-other");
      kind = "other user's session";
      expect = Expect.of(403, "snapshot_session_forbidden");
    } else if (k < 85 && !delete) {
      req = syncReq(method, "/sync/snapshot-sessions/" + snapshotId, owner, fx.syncReaderSource());
      req.query = mutateQuery(r, "after_row_ordinal=0&max_rows=100");
      kind = "query";
    } else {
      req = syncReq(method, "/sync/snapshot-sessions/" + snapshotId, owner, fx.syncReaderSource());
      do {
        req.method = Mutations.method(r, method);
        // Never a delete of the victim, in any spelling.
      } while (req.method.equalsIgnoreCase("DELETE") || req.method.equalsIgnoreCase("GET"));
      kind = "method " + req.method;
      expect = syncWrongMethod(req.method);
    }
    c.mutation = kind;
    c.req = req;
    c.expect = expect;
    return c.subject("victim-snapshot:" + snapshotId, victimSnapshotExists(snapshotId));
  }

  private MalformedCase syncUserAbsent(MalformedCase c, String user) {
    return c.subject(
        "sync-user:" + user,
        db ->
            count(db, "SELECT count(*) FROM sync.user_state WHERE user_id = ?", user) == 0
                ? List.of()
                : List.of("sync.user_state has a row for a user whose requests were refused"));
  }

  private static MalformedCase.Check sourceUnused(String user, String source) {
    return db -> {
      long n =
          count(
              db,
              "SELECT (SELECT count(*) FROM sync.push_sessions p WHERE p.user_pk = u.user_pk"
                  + " AND p.source_id = ?) + (SELECT count(*) FROM sync.source_state s"
                  + " WHERE s.user_pk = u.user_pk AND s.source_id = ?)"
                  + " + (SELECT count(*) FROM sync.bundle_log b WHERE b.user_pk = u.user_pk"
                  + " AND b.source_id = ?) FROM sync.user_state u WHERE u.user_id = ?",
              source,
              source,
              source,
              user);
      return n == 0 ? List.of() : List.of(n + " rows exist for the source of a refused request");
    };
  }

  private static MalformedCase.Check victimPushUnchanged(String pushId) {
    return db -> {
      long sessions =
          count(db, "SELECT count(*) FROM sync.push_sessions WHERE push_id = ?::uuid", pushId);
      long staged =
          count(db, "SELECT count(*) FROM sync.push_session_rows WHERE push_id = ?::uuid", pushId);
      return sessions == 1 && staged == 1
          ? List.of()
          : List.of(
              "push session "
                  + pushId
                  + " changed: "
                  + sessions
                  + " sessions, "
                  + staged
                  + " staged rows");
    };
  }

  private static MalformedCase.Check victimSnapshotExists(String snapshotId) {
    return db ->
        count(
                    db,
                    "SELECT count(*) FROM sync.snapshot_sessions WHERE snapshot_id = ?::uuid",
                    snapshotId)
                == 1
            ? List.of()
            : List.of("snapshot session " + snapshotId + " is gone");
  }

  private MalformedCase.Check syncReaderUnchanged() {
    String user = fx.syncReader();
    return db -> {
      long bundles =
          count(
              db,
              "SELECT count(*) FROM sync.bundle_log b JOIN sync.user_state u"
                  + " ON u.user_pk = b.user_pk WHERE u.user_id = ?",
              user);
      return bundles == SYNC_READER_BUNDLES
          ? List.of()
          : List.of("the reader's bundle log changed: " + bundles + " bundles");
    };
  }

  // ================================ operator API ================================

  private static Req adminReq(String method, String path) {
    Req req = new Req(method, path);
    req.header("Authorization", "Basic " + b64(Http.ADMIN_USER + ":" + Http.ADMIN_PASSWORD));
    return req;
  }

  private MalformedCase adminCreateTenant(int id, Random r) {
    BreakableJson body = obj("name", "mal-" + fx.runId() + "-" + id);
    MalformedCase c = new MalformedCase(id, Family.ADMIN, "POST /admin/tenants");
    adminWrite(c, r, adminReq("POST", "/admin/tenants").json(body.bytes()), body, true);
    return c;
  }

  private MalformedCase adminIssueKey(int id, Random r) {
    BreakableJson body =
        obj("name", "k" + id, "scopes", arr("read", "write"), "expires_at", "2030-01-01T00:00:00Z");
    MalformedCase c = new MalformedCase(id, Family.ADMIN, "POST /admin/tenants/{id}/keys");
    Req valid = adminReq("POST", "/admin/tenants/" + fx.adminTenant() + "/keys").json(body.bytes());
    if (r.nextInt(5) == 0) {
      // Timestamps Java parses but PostgreSQL cannot store, or RFC 3339 does not allow.
      String ts =
          pick(
              r,
              "+999999999-12-31T23:59:59Z",
              "-999999999-01-01T00:00:00Z",
              "0000-01-01T00:00:00Z",
              "-0001-01-01T00:00:00Z",
              "+294277-01-01T00:00:00Z",
              "1970-01-01T00:00:00+18:00",
              "2030-02-30T00:00:00Z",
              "2030-01-01T00:00:00.123456789Z",
              "2030-01-01T24:00:00Z",
              "2030-01-01",
              "2030-01-01T00:00:00",
              "1e10");
      BreakableJson bad = obj("name", "k" + id, "scopes", arr("read", "write"), "expires_at", ts);
      c.req = valid.copy().json(bad.bytes());
      c.mutation = "expires_at " + ts;
      return c;
    }
    adminWrite(c, r, valid, body, false);
    return c;
  }

  private MalformedCase adminCredits(int id, Random r) {
    BreakableJson body = obj("cents", 1 + r.nextInt(100));
    MalformedCase c = new MalformedCase(id, Family.ADMIN, "POST /admin/tenants/{id}/credits");
    adminWrite(
        c,
        r,
        adminReq("POST", "/admin/tenants/" + fx.adminTenant() + "/credits").json(body.bytes()),
        body,
        true);
    return c;
  }

  private MalformedCase adminRevokeKey(int id, Random r) {
    long key = pick(r, fx.victimKeys());
    MalformedCase c =
        new MalformedCase(id, Family.ADMIN, "POST /admin/tenants/{id}/keys/{key}/revoke");
    Req req = adminReq("POST", "/admin/tenants/" + fx.adminTenant() + "/keys/" + key + "/revoke");
    int k = r.nextInt(4);
    if (k == 0) {
      String bad = Mutations.badNumberSegment(r);
      req.path = "/admin/tenants/" + fx.adminTenant() + "/keys/" + bad + "/revoke";
      c.mutation = "key id " + bad;
      // Some parsers read a lenient spelling of 1 as key 1, which exists.
      c.expect = Mutations.LENIENT_ONE.contains(bad) ? null : adminNotFound(bad, "no such key");
    } else if (k == 1) {
      String bad = Mutations.badNumberSegment(r);
      req.path = "/admin/tenants/" + bad + "/keys/" + key + "/revoke";
      c.mutation = "tenant id " + bad;
      // Some parsers read a lenient spelling of 1 as tenant 1, which may exist.
      c.expect = Mutations.LENIENT_ONE.contains(bad) ? null : adminNotFound(bad, "no such tenant");
    } else if (k == 2) {
      do {
        req.method = Mutations.method(r, "POST");
      } while (req.method.equalsIgnoreCase("OPTIONS") || req.method.equalsIgnoreCase("HEAD"));
      c.mutation = "method " + req.method;
      c.expect =
          Mutations.lenientSpelling(req.method)
              ? null
              : new Expect(Set.of(405), Set.of(), "wrong method");
    } else {
      c.mutation = adminAuth(r, req);
      c.expect = new Expect(Set.of(401), Set.of(), "container authentication");
    }
    c.req = req;
    return c.subject(
        "victim-key:" + key,
        db ->
            count(db, "SELECT count(*) FROM api_key WHERE id = ? AND revoked_at IS NULL", key) == 1
                ? List.of()
                : List.of("key " + key + " was revoked by a refused request"));
  }

  private MalformedCase adminRead(int id, Random r) {
    String base = "/admin/tenants/" + fx.adminTenant();
    int which = r.nextInt(3);
    String path = which == 0 ? base : which == 1 ? base + "/keys" : base + "/ledger";
    MalformedCase c =
        new MalformedCase(
            id,
            Family.ADMIN,
            "GET /admin/tenants/{id}" + (which == 0 ? "" : which == 1 ? "/keys" : "/ledger"));
    Req req = adminReq("GET", path);
    if (which == 2) {
      req.query = "limit=10";
    }
    int k = r.nextInt(5);
    if (k == 0) {
      String bad = Mutations.badNumberSegment(r);
      req.path = path.replace("/" + fx.adminTenant(), "/" + bad);
      c.mutation = "tenant id " + bad;
      c.expect = Mutations.LENIENT_ONE.contains(bad) ? null : adminNotFound(bad, "no such tenant");
    } else if (k == 1) {
      req.query = mutateQuery(r, req.query);
      c.mutation = "query";
    } else if (k == 2) {
      do {
        req.method = Mutations.method(r, "GET");
        // A POST to the keys issues one: valid, not malformed.
      } while (req.method.equalsIgnoreCase("OPTIONS")
          || req.method.equalsIgnoreCase("HEAD")
          || which == 1 && req.method.equalsIgnoreCase("POST"));
      c.mutation = "method " + req.method;
      c.expect =
          Mutations.lenientSpelling(req.method)
              ? null
              : new Expect(Set.of(405), Set.of(), "wrong method");
    } else if (k == 3) {
      c.mutation = adminAuth(r, req);
      c.expect = new Expect(Set.of(401), Set.of(), "container authentication");
    } else {
      c.mutation = "path " + syncPathGarbage(r, req);
    }
    c.req = req;
    return c;
  }

  private static Expect adminNotFound(String id, String why) {
    return RequestTargets.hasUtf8Escapes(id)
        ? new Expect(Set.of(404), Set.of(), why)
        : Expect.of(400, "invalid_request");
  }

  private MalformedCase adminServerWrites(int id, Random r) {
    String user = freshUser(id);
    BreakableJson body =
        obj("writer_id", "admin:mal", "rows", new BreakableJson.Arr(validRows(r, id)));
    MalformedCase c =
        new MalformedCase(id, Family.ADMIN, "POST /admin/rowsync/users/{user}/writes");
    Req valid = adminReq("POST", "/admin/rowsync/users/" + user + "/writes").json(body.bytes());
    if (r.nextInt(6) == 0) {
      // A user id the identity provider would never issue; the scope column must still cope.
      String bad =
          Mutations.lazy(
              r,
              () -> user + "%00",
              () -> user + "%FF",
              () -> user + Mutations.randomToken(r, 5_000),
              () -> user + "%E2%80%AE",
              () -> user + "%20");
      c.req = valid.copy();
      c.req.path = "/admin/rowsync/users/" + bad + "/writes";
      c.mutation = "user id " + MalformedCase.excerpt(bad, 60);
      return syncUserAbsent(c, user);
    }
    adminWrite(c, r, valid, body, true);
    return syncUserAbsent(c, user);
  }

  /** An operator write's one mutation. */
  private void adminWrite(
      MalformedCase c, Random r, Req valid, BreakableJson body, boolean emptyIsBad) {
    Req req = valid.copy();
    Expect expect = null;
    // Bodies over the operator API's cap are refused unread.
    Expect badJson = Expect.anyOf(Set.of(400, 413), "invalid_request", "request_too_large");
    String kind;
    int k = r.nextInt(100);
    if (k < 40) {
      Mutations.Mutant<BreakableJson> m = Mutations.mutateMember(r, body, 100_000);
      kind = m.kind();
      req.body = m.value().bytes();
    } else if (k < 46) {
      kind = "truncated";
      req.body = Mutations.truncate(r, valid.body);
      expect = req.body.length == 0 && !emptyIsBad ? null : badJson;
    } else if (k < 52) {
      kind = "syntax";
      req.body = Mutations.breakSyntax(r, valid.body);
    } else if (k < 55) {
      kind = "trailing-garbage";
      req.body = Mutations.trailingGarbage(r, valid.body);
      expect = badJson;
    } else if (k < 63) {
      Mutations.Mutant<byte[]> m = Mutations.notAnObject(r, valid.body);
      kind = "body " + m.kind();
      req.body = m.value();
      expect = m.kind().equals("empty-body") && !emptyIsBad ? null : badJson;
    } else if (k < 65) {
      kind = "deep-body";
      req.body = Mutations.deepBody(r);
    } else if (k < 67) {
      kind = "invalid-utf8";
      req.body = insert(r, valid.body, Mutations.invalidUtf8(r).bytes());
    } else if (k < 70) {
      if (c.route.contains("rowsync")) {
        kind = "large whitespace";
        req.padTo = ADMIN_BODY_CAP * 4;
      } else {
        kind = "oversize";
        req.padTo = ADMIN_BODY_CAP + 1;
        expect = Expect.of(413, "request_too_large");
      }
    } else if (k < 75) {
      String type = Mutations.contentType(r);
      kind = "content-type " + (type == null ? "(none)" : MalformedCase.excerpt(type, 40));
      req.header("Content-Type", type);
    } else if (k < 82) {
      do {
        req.method = Mutations.method(r, "POST");
        // A GET of the keys lists them: valid, not malformed.
      } while (req.method.equalsIgnoreCase("OPTIONS")
          || req.method.equalsIgnoreCase("GET") && c.route.endsWith("/keys"));
      kind = "method " + req.method;
      expect =
          Mutations.lenientSpelling(req.method)
              ? null
              : new Expect(Set.of(405), Set.of(), "wrong method");
    } else if (k < 86) {
      kind = "path " + syncPathGarbage(r, req);
    } else if (k < 88) {
      kind = "query";
      req.query = garbageQuery(r);
    } else if (k < 95) {
      kind = adminAuth(r, req);
      expect = new Expect(Set.of(401), Set.of(), "container authentication");
    } else {
      kind = headers(r, req, c);
    }
    c.mutation = kind;
    c.req = req;
    c.expect = expect;
  }

  private static String adminAuth(Random r, Req req) {
    String value =
        Mutations.lazy(
            r,
            () -> null,
            () -> "",
            () -> "Basic",
            () -> "Basic " + b64("admin:nope"),
            () -> "Basic " + b64("admin"),
            () -> "Basic " + b64(":"),
            () -> "Basic !!!not-base64!!!",
            () -> "Basic " + b64("x".repeat(5_000) + ":y"),
            () -> "Bearer " + Http.newProjectToken(),
            () -> "Bearer " + Jwts.forUser("admin"),
            () -> "basic " + b64("ADMIN:sealsync-dev-admin"));
    req.header("Authorization", value);
    return "auth " + (value == null ? "missing" : MalformedCase.excerpt(value, 40));
  }

  // ================================ HTTP framing ================================

  /** Requests an HTTP client library refuses to send, byte for byte. */
  private MalformedCase rawHttp(int id, Random r) {
    String token = Http.newProjectToken();
    String target =
        pick(
            r,
            "/v2-agent-state/snapshot",
            "/functions/v1/v2-agent-state/replicate",
            "/sync/connect",
            "/admin/tenants");
    MalformedCase c = new MalformedCase(id, familyOf(target), "raw " + target);
    String body = "{\"a\":1}";
    String auth =
        target.startsWith("/sync")
            ? "Bearer " + Jwts.forUser(freshUser(id))
            : target.startsWith("/admin")
                ? "Basic " + b64(Http.ADMIN_USER + ":" + Http.ADMIN_PASSWORD)
                : "Bearer " + token;
    String head =
        "POST "
            + target
            + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
            + auth
            + "\r\nOversync-Source-ID: s\r\nContent-Type: application/json\r\nConnection: close\r\n";
    String[] variants = {
      "POST "
          + target
          + "/\u00ff\u00fe HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
          + "Content-Length: 0\r\n\r\n",
      head + "Content-Length: abc\r\n\r\n" + body,
      head + "Content-Length: -1\r\n\r\n" + body,
      head + "Content-Length: 7\r\nContent-Length: 3\r\n\r\n" + body,
      head + "Content-Length: 7, 8\r\n\r\n" + body,
      head + "Content-Length: 99999999999999999999\r\n\r\n" + body,
      head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + body + "\r\n0\r\n\r\n",
      head + "Transfer-Encoding: chunked\r\n\r\n7\r\n" + body + "\r\n",
      head
          + "Transfer-Encoding: chunked\r\nContent-Length: 7\r\n\r\n7\r\n"
          + body
          + "\r\n0\r\n\r\n",
      head + "Transfer-Encoding: gzip\r\nContent-Length: 7\r\n\r\n" + body,
      head + "Content-Encoding: gzip\r\nContent-Length: 7\r\n\r\n" + body,
      head + "Header-Without-Colon\r\nContent-Length: 7\r\n\r\n" + body,
      head + "Bad Header: x\r\nContent-Length: 7\r\n\r\n" + body,
      head + "X-Folded: a\r\n b\r\nContent-Length: 7\r\n\r\n" + body,
      head + "X-Long: " + "x".repeat(100_000) + "\r\nContent-Length: 7\r\n\r\n" + body,
      head + "Content-Length: 100\r\n\r\n" + body,
      "POST "
          + target
          + "?"
          + "a".repeat(100_000)
          + " HTTP/1.1\r\nHost: localhost\r\n"
          + "Connection: close\r\nContent-Length: 0\r\n\r\n",
      "GET " + target + " HTTP/1.1\r\n\r\n",
      "GET /" + "a/".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
      head + "Expect: 100-continue\r\nContent-Length: 7\r\n\r\n" + body,
      head + "Expect: something-else\r\nContent-Length: 7\r\n\r\n" + body,
      "POST "
          + target
          + "/{x}?a={b}|c HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
          + auth
          + "\r\nOversync-Source-ID: s\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
    };
    int v = r.nextInt(variants.length);
    Req req = new Req("POST", target);
    req.raw = variants[v].getBytes(StandardCharsets.ISO_8859_1);
    c.req = req;
    c.mutation = "framing #" + v;
    c.mayDrop = true;
    if (target.startsWith("/sync")) {
      return syncUserAbsent(c, freshUser(id));
    }
    if (target.startsWith("/admin")) {
      return c;
    }
    return tenantAbsent(c, token);
  }

  private static Family familyOf(String path) {
    return path.startsWith("/sync")
        ? Family.ROW_SYNC
        : path.startsWith("/admin") ? Family.ADMIN : Family.AGENT_STATE;
  }

  // ================================ shared ================================

  /** Accept, header count and size, duplicate authorization: the HTTP layer's limits. */
  private static String headers(Random r, Req req, MalformedCase c) {
    switch (r.nextInt(5)) {
      case 0 -> {
        String a = Mutations.accept(r);
        req.header("Accept", a);
        return "accept " + a;
      }
      case 1 -> {
        int n = pick(r, 50, 200, 1_000);
        for (int i = 0; i < n; i++) {
          req.addHeader("X-Junk-" + i, "v" + i);
        }
        c.mayDrop = n > 200;
        c.httpLevel = n > 90;
        return n + " extra headers";
      }
      case 2 -> {
        int n = pick(r, 4_000, 7_000, 20_000, 100_000);
        req.header("X-Long", "x".repeat(n));
        c.mayDrop = n > 7_000;
        c.httpLevel = n > 7_000;
        return "header of " + n + " bytes";
      }
      case 3 -> {
        String auth = req.header("Authorization");
        req.addHeader("Authorization", auth == null ? "Bearer x" : auth);
        return "duplicate authorization";
      }
      default -> {
        String[] h =
            pick(
                r,
                new String[] {"Accept-Charset", "utf-7"},
                new String[] {"Accept-Encoding", "gzip;q=abc, *;q=0"},
                new String[] {"Accept-Encoding", "br, compress, x-unknown"},
                new String[] {"Accept-Language", "\u00ff\u00fe"},
                new String[] {"Content-Encoding", "gzip"},
                new String[] {"Content-Encoding", "x-unknown"},
                new String[] {"Transfer-Encoding", "identity"});
        req.addHeader(h[0], h[1]);
        // An obsolete transfer coding next to Content-Length: framing the server may refuse.
        c.httpLevel = c.mayDrop = h[0].equals("Transfer-Encoding");
        return h[0] + ": " + h[1];
      }
    }
  }

  /** A query string (encoded) of junk for routes that take none. */
  private static String garbageQuery(Random r) {
    return Mutations.lazy(
        r,
        () -> "a=" + Mutations.absurdQueryValue(r),
        () -> "=",
        () -> "&&&",
        () -> "%",
        () -> "a=%FF",
        () -> "x".repeat(pick(r, 1_000, 7_000, 30_000)),
        () -> String.join("&", java.util.Collections.nCopies(500, "a=1")));
  }

  /** The route's own query with one parameter broken, duplicated, dropped or joined by junk. */
  private static String mutateQuery(Random r, String query) {
    List<String[]> params = new ArrayList<>();
    if (query != null) {
      for (String p : query.split("&")) {
        String[] kv = p.split("=", 2);
        params.add(new String[] {kv[0], kv.length > 1 ? kv[1] : null});
      }
    }
    int k = r.nextInt(6);
    if (params.isEmpty() || k == 5) {
      return (query == null ? "" : query + "&") + garbageQuery(r);
    }
    String[] p = pick(r, params);
    switch (k) {
      case 0, 1 -> p[1] = Mutations.absurdQueryValue(r);
      case 2 ->
          params.add(
              r.nextInt(params.size() + 1), new String[] {p[0], Mutations.absurdQueryValue(r)});
      case 3 -> params.remove(p);
      default -> p[1] = null;
    }
    StringBuilder sb = new StringBuilder();
    for (String[] kv : params) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(kv[0]);
      if (kv[1] != null) {
        sb.append('=').append(kv[1]);
      }
    }
    return sb.toString();
  }

  private static byte[] insert(Random r, byte[] body, byte[] bytes) {
    int at = r.nextInt(body.length + 1);
    byte[] out = new byte[body.length + bytes.length];
    System.arraycopy(body, 0, out, 0, at);
    System.arraycopy(bytes, 0, out, at, bytes.length);
    System.arraycopy(body, at, out, at + bytes.length, body.length - at);
    return out;
  }

  private static byte[] bytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  private static String uuid(Random r) {
    return new UUID(r.nextLong(), r.nextLong()).toString();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static String sha256(byte[]... parts) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        d.update(p);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static long count(Connection db, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }
}
