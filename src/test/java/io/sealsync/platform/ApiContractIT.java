package io.sealsync.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.agentstate.ReplicationClient;
import io.sealsync.agentstate.SnapshotBodies;
import io.sealsync.rowsync.SyncClient;
import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.Jwts;
import io.sealsync.testsupport.Keycloak;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API documents (src/main/webapp/api-docs, served at /api-docs/) against the real server: a
 * walk over every documented operation, under every server prefix, with happy answers and the error
 * answers a client can cheaply provoke (bad input, missing and invalid credentials, unknown ids,
 * conflicts). Every request meant to be valid is checked against the document, every answer too
 * (status, content type, body schema, documented headers), by {@link ApiContract}. An answer the
 * document does not describe fails the test, and so does a documented operation the walk never
 * reached. Each exchange is written to {@code target/api-contract-<server>.txt}.
 */
@ExtendWith(ArquillianExtension.class)
class ApiContractIT {
  private static final HttpClient STREAMS =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private static final String BASIC =
      "Basic "
          + Base64.getEncoder()
              .encodeToString(
                  (Http.ADMIN_USER + ":" + Http.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;
  Http http;
  ApiContract contract;
  final List<String> problems = new ArrayList<>();
  final StringBuilder log = new StringBuilder();

  /** The server under test, as the failsafe executions name it. */
  private static String server() {
    return System.getProperty("arquillian.launch", "liberty");
  }

  @BeforeAll
  static void freshLog() throws IOException {
    Files.deleteIfExists(Path.of("target", "api-contract-" + server() + ".txt"));
  }

  @BeforeEach
  void setUp() {
    http = new Http(base);
  }

  @AfterEach
  void writeLog() throws IOException {
    if (contract == null) {
      return;
    }
    Path out = Path.of("target", "api-contract-" + server() + ".txt");
    Files.createDirectories(out.getParent());
    Files.writeString(
        out,
        "## " + contract.name + "\n" + log,
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  private void load(String name) {
    Http.Reply doc = http.send("GET", "/api-docs/" + name, null, null);
    assertEquals(200, doc.status(), name);
    assertTrue(doc.contentType().startsWith("application/yaml"), doc.contentType());
    contract = ApiContract.load(name, doc.text());
  }

  /** Every problem of the walk, then every documented operation the walk did not reach. */
  private void assertWalkComplete() {
    Set<String> missing = new TreeSet<>(contract.operations());
    missing.removeAll(contract.reached());
    log.append("answers: ").append(contract.answered()).append('\n');
    assertTrue(
        problems.isEmpty(),
        problems.size()
            + " answers differ from "
            + contract.name
            + ":\n"
            + String.join("\n", problems));
    assertEquals(
        Set.of(), missing, contract.name + ": documented operations the walk never reached");
  }

  /** One exchange; {@code valid}: the request itself must match the document. */
  private ApiContract.Exchange call(
      boolean valid,
      int expected,
      String method,
      String target,
      String authorization,
      Map<String, String> headers,
      String body) {
    Map<String, String> sent = new LinkedHashMap<>(headers);
    if (authorization != null) {
      sent.put("Authorization", authorization);
    }
    if (body != null) {
      sent.put("Content-Type", "application/json");
    }
    byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    HttpResponse<byte[]> r;
    try {
      r = http.exchange(method, target, authorization, headers, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + target, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return record(
        valid,
        expected,
        new ApiContract.Exchange(
            method, target, sent, bytes, r.statusCode(), r.headers().map(), r.body()));
  }

  private ApiContract.Exchange record(boolean valid, int expected, ApiContract.Exchange x) {
    List<String> found = contract.check(x, valid);
    if (x.status() != expected) {
      found = new ArrayList<>(found);
      found.add(
          x.method()
              + " "
              + x.target()
              + ": expected "
              + expected
              + ", got "
              + x.status()
              + " "
              + new String(x.responseBody(), StandardCharsets.UTF_8));
    }
    problems.addAll(found);
    log.append(x.method())
        .append(' ')
        .append(x.target())
        .append(" -> ")
        .append(x.status())
        .append(' ')
        .append(x.responseHeader("Content-Type"))
        .append(' ')
        .append(
            x.responseHeaders().keySet().stream()
                .filter(h -> h != null && !h.equalsIgnoreCase("content-type"))
                .sorted()
                .toList())
        .append(' ')
        .append(
            new String(
                x.responseBody(),
                0,
                Math.min(x.responseBody().length, 2000),
                StandardCharsets.UTF_8))
        .append('\n');
    for (String p : found) {
      log.append("  !! ").append(p).append('\n');
    }
    return x;
  }

  private static JsonObject json(ApiContract.Exchange x) {
    try (var r =
        Json.createReader(new StringReader(new String(x.responseBody(), StandardCharsets.UTF_8)))) {
      return r.readObject();
    }
  }

  private static String uuid() {
    return UUID.randomUUID().toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  // ---------------------------------------------------------------------------------------------
  // Row sync

  @Test
  void rowSyncAnswersAsDocumented() throws Exception {
    load("rowsync.yaml");
    String user = "contract-" + uuid();
    String auth = "Bearer " + Jwts.forUser(user);
    Map<String, String> src = Map.of("Oversync-Source-ID", "src-" + uuid());
    String other = "Bearer " + Jwts.forUser("contract-other-" + uuid());
    Map<String, String> otherSrc = Map.of("Oversync-Source-ID", "other-" + uuid());

    // Public status routes.
    call(true, 200, "GET", "/syncx/status", null, Map.of(), null);
    call(true, 200, "GET", "/syncx/health", null, Map.of(), null);
    call(false, 405, "POST", "/syncx/status", null, Map.of(), "{}");

    // Host authentication comes first (text/plain), then the source header.
    call(true, 200, "GET", "/sync/capabilities", auth, src, null);
    call(false, 401, "GET", "/sync/capabilities", null, src, null);
    call(
        false,
        401,
        "GET",
        "/sync/capabilities",
        "Bearer " + Jwts.sign(user, "another-issuer", Jwts.SHARED_KEY),
        src,
        null);
    call(false, 400, "GET", "/sync/capabilities", auth, Map.of(), null);
    call(false, 405, "DELETE", "/sync/capabilities", auth, src, null);

    // Before the first connect the scope is uninitialized (a pull finds nothing yet).
    call(true, 200, "GET", "/sync/pull", auth, src, null);
    watch(409, auth, src, "");
    call(true, 409, "POST", "/sync/push-sessions", auth, src, create(1, 1, null));
    call(true, 409, "POST", "/sync/snapshot-sessions", auth, src, null);

    // Connect.
    call(false, 400, "POST", "/sync/connect", auth, src, "{\"has_local_pending_rows\":");
    call(false, 401, "POST", "/sync/connect", null, src, "{}");
    JsonObject connected =
        json(
            call(
                true,
                200,
                "POST",
                "/sync/connect",
                auth,
                src,
                "{\"has_local_pending_rows\":false}"));
    assertEquals("initialize_empty", connected.getString("resolution"));
    call(
        true,
        200,
        "POST",
        "/sync/connect",
        auth,
        Map.of("Oversync-Source-ID", "second-" + uuid()),
        "{\"has_local_pending_rows\":false}");
    json(call(true, 200, "POST", "/sync/connect", other, otherSrc, "{}"));

    // Push: refused bodies, then a bundle of two rows in two chunks.
    call(false, 400, "POST", "/sync/push-sessions", auth, src, "{\"source_bundle_id\":1}");
    call(false, 401, "POST", "/sync/push-sessions", null, src, create(1, 2, null));
    String pushId =
        json(call(true, 200, "POST", "/sync/push-sessions", auth, src, create(1, 2, null)))
            .getString("push_id");
    String chunks = "/sync/push-sessions/" + pushId + "/chunks";
    call(false, 400, "POST", chunks, auth, src, "{\"start_row_ordinal\":0,\"rows\":{}}");
    call(true, 409, "POST", chunks, auth, src, chunk(1, SyncClient.tag("a", "INSERT", 0, "red")));
    call(
        true,
        404,
        "POST",
        "/sync/push-sessions/" + uuid() + "/chunks",
        auth,
        src,
        chunk(0, SyncClient.tag("a", "INSERT", 0, "red")));
    call(
        true,
        403,
        "POST",
        chunks,
        other,
        otherSrc,
        chunk(0, SyncClient.tag("a", "INSERT", 0, "red")));
    call(false, 401, "POST", chunks, null, src, chunk(0, SyncClient.tag("a", "INSERT", 0, "red")));
    call(true, 200, "POST", chunks, auth, src, chunk(0, SyncClient.tag("a", "INSERT", 0, "red")));
    String commit = "/sync/push-sessions/" + pushId + "/commit";
    call(true, 400, "POST", commit, auth, src, null);
    call(true, 403, "POST", commit, other, otherSrc, null);
    call(false, 401, "POST", commit, null, src, null);
    call(true, 200, "POST", chunks, auth, src, chunk(1, SyncClient.tag("b", "INSERT", 0, "blue")));
    JsonObject committed = json(call(true, 200, "POST", commit, auth, src, null));
    long bundleSeq = committed.getJsonNumber("bundle_seq").longValue();
    call(true, 404, "POST", commit, auth, src, null);
    call(true, 200, "POST", "/sync/push-sessions", auth, src, create(1, 2, null));

    // A conflicting bundle: the commit answers with the server's row.
    String conflicting =
        json(call(true, 200, "POST", "/sync/push-sessions", auth, src, create(2, 1, null)))
            .getString("push_id");
    call(
        true,
        200,
        "POST",
        "/sync/push-sessions/" + conflicting + "/chunks",
        auth,
        src,
        chunk(0, SyncClient.tag("a", "INSERT", 0, "green")));
    call(true, 409, "POST", "/sync/push-sessions/" + conflicting + "/commit", auth, src, null);

    // The aborted bundle 2 is still the next one expected.
    call(true, 409, "POST", "/sync/push-sessions", auth, src, create(3, 1, null));

    // Abandoning a session.
    String abandoned =
        json(call(true, 200, "POST", "/sync/push-sessions", auth, src, create(2, 1, null)))
            .getString("push_id");
    call(true, 403, "DELETE", "/sync/push-sessions/" + abandoned, other, otherSrc, null);
    call(false, 401, "DELETE", "/sync/push-sessions/" + abandoned, null, src, null);
    call(true, 204, "DELETE", "/sync/push-sessions/" + abandoned, auth, src, null);
    call(true, 404, "DELETE", "/sync/push-sessions/" + abandoned, auth, src, null);
    call(false, 405, "GET", "/sync/push-sessions/" + abandoned, auth, src, null);

    // Reading back a committed bundle.
    String rows = "/sync/committed-bundles/" + bundleSeq + "/rows";
    call(true, 200, "GET", rows, auth, src, null);
    call(true, 200, "GET", rows + "?after_row_ordinal=0&max_rows=1", auth, src, null);
    call(true, 404, "GET", "/sync/committed-bundles/999999/rows", auth, src, null);
    call(false, 400, "GET", "/sync/committed-bundles/x/rows", auth, src, null);
    call(false, 400, "GET", rows + "?max_rows=0", auth, src, null);
    call(false, 401, "GET", rows, null, src, null);

    // Pull and watch.
    call(true, 200, "GET", "/sync/pull", auth, src, null);
    call(
        true,
        200,
        "GET",
        "/sync/pull?after_bundle_seq=0&max_bundles=1&target_bundle_seq=" + bundleSeq,
        auth,
        src,
        null);
    call(false, 400, "GET", "/sync/pull?max_bundles=x", auth, src, null);
    call(false, 401, "GET", "/sync/pull", null, src, null);
    watch(200, auth, src, "?after_bundle_seq=0");
    watch(401, null, src, "");
    watch(400, auth, src, "?after_bundle_seq=x");

    // While another source holds the initialization lease, reads wait.
    String leased = "Bearer " + Jwts.forUser("contract-lease-" + uuid());
    Map<String, String> holder = Map.of("Oversync-Source-ID", "holder");
    Map<String, String> waiting = Map.of("Oversync-Source-ID", "waiting");
    assertEquals(
        "initialize_local",
        json(call(
                true,
                200,
                "POST",
                "/sync/connect",
                leased,
                holder,
                "{\"has_local_pending_rows\":true}"))
            .getString("resolution"));
    call(true, 200, "POST", "/sync/connect", leased, waiting, "{\"has_local_pending_rows\":false}");
    call(true, 409, "GET", "/sync/pull", leased, waiting, null);
    watch(409, leased, waiting, "");
    call(true, 409, "POST", "/sync/snapshot-sessions", leased, waiting, null);

    // Snapshots.
    call(false, 400, "POST", "/sync/snapshot-sessions", auth, src, "{\"unknown\":1}");
    call(false, 401, "POST", "/sync/snapshot-sessions", null, src, null);
    String snapshotId =
        json(call(true, 200, "POST", "/sync/snapshot-sessions", auth, src, null))
            .getString("snapshot_id");
    String snapshot = "/sync/snapshot-sessions/" + snapshotId;
    call(true, 200, "GET", snapshot, auth, src, null);
    call(true, 200, "GET", snapshot + "?after_row_ordinal=0&max_rows=1", auth, src, null);
    call(false, 400, "GET", snapshot + "?max_rows=x", auth, src, null);
    call(true, 403, "GET", snapshot, other, otherSrc, null);
    call(true, 404, "GET", "/sync/snapshot-sessions/" + uuid(), auth, src, null);
    call(false, 401, "GET", snapshot, null, src, null);
    call(true, 403, "DELETE", snapshot, other, otherSrc, null);
    call(false, 401, "DELETE", snapshot, null, src, null);
    call(true, 204, "DELETE", snapshot, auth, src, null);
    call(true, 404, "DELETE", snapshot, auth, src, null);

    assertWalkComplete();
  }

  private static String create(long sourceBundleId, long planned, String initializationId) {
    return "{\"source_bundle_id\":"
        + sourceBundleId
        + ",\"planned_row_count\":"
        + planned
        + (initializationId == null ? "" : ",\"initialization_id\":\"" + initializationId + "\"")
        + "}";
  }

  private static String chunk(long start, String... rows) {
    return "{\"start_row_ordinal\":" + start + ",\"rows\":[" + String.join(",", rows) + "]}";
  }

  /** A watch request: the status and headers, and the body unless it is the endless stream. */
  private void watch(int expected, String authorization, Map<String, String> src, String query)
      throws Exception {
    String target = "/sync/watch" + query;
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(http.base() + target)).timeout(Duration.ofSeconds(30));
    Map<String, String> sent = new LinkedHashMap<>(src);
    if (authorization != null) {
      sent.put("Authorization", authorization);
    }
    sent.forEach(b::header);
    HttpResponse<InputStream> r =
        STREAMS.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    byte[] body;
    try (InputStream in = r.body()) {
      body = r.statusCode() == 200 ? new byte[0] : in.readAllBytes();
    }
    record(
        expected < 300,
        expected,
        new ApiContract.Exchange(
            "GET", target, sent, null, r.statusCode(), r.headers().map(), body));
  }

  // ---------------------------------------------------------------------------------------------
  // Agent state

  @Test
  void agentStateAnswersAsDocumented() throws Exception {
    load("agent-state.yaml");
    String token = "Bearer " + Http.newProjectToken();
    List<String> prefixes = new ArrayList<>(agentStatePrefixes());
    String worker = prefixes.get(0);

    // Nothing replicated yet.
    call(true, 404, "GET", worker + "/head", token, Map.of(), null);
    call(false, 401, "GET", worker + "/head", null, Map.of(), null);
    call(false, 401, "GET", worker + "/head", "Bearer sov_live_" + "0".repeat(32), Map.of(), null);
    call(false, 404, "DELETE", worker + "/head", token, Map.of(), null);

    // Replicate under the worker's prefix, then the same body again (idempotent) under each.
    ReplicationClient log = new ReplicationClient(http, token.substring("Bearer ".length()));
    ReplicationClient.Pending first =
        log.prepare(List.of(ReplicationClient.blob(64, 1), ReplicationClient.blob(80, 2)));
    call(true, 200, "POST", worker + "/replicate", token, Map.of(), first.body());
    for (String prefix : prefixes) {
      call(true, 200, "POST", prefix + "/replicate", token, Map.of(), first.body());
    }
    log.next = first.next();
    log.root = first.root();
    call(false, 400, "POST", worker + "/replicate", token, Map.of(), "{\"chunks\":");
    call(
        false,
        400,
        "POST",
        worker + "/replicate",
        token,
        Map.of(),
        "{\"chunks\":[],\"merkle_root\":\"" + "0".repeat(64) + "\"}");
    call(false, 401, "POST", worker + "/replicate", null, Map.of(), first.body());
    // The same sequence numbers with other blocks: a split brain.
    ReplicationClient fork = new ReplicationClient(http, token.substring("Bearer ".length()));
    call(
        true,
        409,
        "POST",
        worker + "/replicate",
        token,
        Map.of(),
        fork.prepare(List.of(ReplicationClient.blob(64, 99))).body());
    // A next block whose root does not continue the chain.
    ReplicationClient.Pending next = log.prepare(List.of(ReplicationClient.blob(64, 3)));
    call(
        true,
        422,
        "POST",
        worker + "/replicate",
        token,
        Map.of(),
        next.body()
            .replaceAll(
                "\"merkle_root\":\"[0-9a-f]{64}\"", "\"merkle_root\":\"" + "1".repeat(64) + "\""));

    String agent = "contract-agent";
    for (String prefix : prefixes) {
      call(true, 200, "GET", prefix + "/head", token, Map.of(), null);
      call(true, 200, "GET", prefix + "/replay?since=-1", token, Map.of(), null);
      call(true, 200, "GET", prefix + "/receipt-key", token, Map.of(), null);
      // One snapshot per prefix, each its own agent.
      String a = agent + "-" + prefixes.indexOf(prefix);
      call(true, 200, "POST", prefix + "/snapshot", token, Map.of(), snapshot(a, 0, null, 0));
      call(true, 200, "GET", prefix + "/snapshot/" + a + "/latest", token, Map.of(), null);
      call(
          true, 200, "GET", prefix + "/snapshot/" + a + "/lineage?limit=10", token, Map.of(), null);
      call(true, 200, "GET", prefix + "/snapshot/" + a + "/0", token, Map.of(), null);
    }
    call(true, 200, "GET", worker + "/replay?since=0&max_bytes=100", token, Map.of(), null);
    call(false, 400, "GET", worker + "/replay", token, Map.of(), null);
    call(false, 400, "GET", worker + "/replay?since=x", token, Map.of(), null);
    call(false, 401, "GET", worker + "/replay?since=0", null, Map.of(), null);
    call(false, 401, "GET", worker + "/receipt-key", null, Map.of(), null);

    // Snapshots: refusals, a conflict, unknown agents and sequences.
    String a0 = agent + "-0";
    call(true, 200, "POST", worker + "/snapshot", token, Map.of(), snapshot(a0, 0, null, 0));
    call(true, 409, "POST", worker + "/snapshot", token, Map.of(), snapshot(a0, 0, null, 1));
    call(false, 400, "POST", worker + "/snapshot", token, Map.of(), "{\"agent_id\":\"x\"}");
    call(false, 401, "POST", worker + "/snapshot", null, Map.of(), snapshot(a0, 1, null, 0));
    call(true, 404, "GET", worker + "/snapshot/nobody/latest", token, Map.of(), null);
    call(false, 401, "GET", worker + "/snapshot/nobody/latest", null, Map.of(), null);
    call(true, 404, "GET", worker + "/snapshot/" + a0 + "/7", token, Map.of(), null);
    call(false, 400, "GET", worker + "/snapshot/" + a0 + "/x", token, Map.of(), null);
    call(false, 401, "GET", worker + "/snapshot/" + a0 + "/0", null, Map.of(), null);
    call(true, 200, "GET", worker + "/snapshot/nobody/lineage", token, Map.of(), null);
    call(false, 401, "GET", worker + "/snapshot/" + a0 + "/lineage", null, Map.of(), null);

    // The ciphertext through its signed URL, and refused URLs.
    String url =
        json(call(true, 200, "GET", worker + "/snapshot/" + a0 + "/latest", token, Map.of(), null))
            .getString("ciphertextUrl");
    String signed = url.substring(url.indexOf("/agent-state-blobs/"));
    call(true, 200, "GET", signed, null, Map.of(), null);
    call(
        true,
        403,
        "GET",
        signed.replaceAll("signature=[0-9a-f]+", "signature=" + "0".repeat(64)),
        null,
        Map.of(),
        null);
    call(false, 403, "GET", signed.split("\\?")[0], null, Map.of(), null);

    // Live keys: the scope, and credit.
    Http.LiveTenant readOnly = http.liveTenant(100_000, "[\"read\"]", null);
    call(
        true,
        403,
        "POST",
        worker + "/replicate",
        "Bearer " + readOnly.key(),
        Map.of(),
        first.body());
    call(
        true,
        403,
        "POST",
        worker + "/snapshot",
        "Bearer " + readOnly.key(),
        Map.of(),
        snapshot("x", 0, null, 0));
    Http.LiveTenant poor = http.liveTenant(0, null, null);
    call(
        true,
        402,
        "POST",
        worker + "/snapshot",
        "Bearer " + poor.key(),
        Map.of(),
        snapshot("x", 0, null, 0, 262_144));
    Http.LiveTenant writeOnly = http.liveTenant(100_000, "[\"write\"]", null);
    for (String route :
        List.of(
            "/head",
            "/replay?since=0",
            "/receipt-key",
            "/snapshot/x/latest",
            "/snapshot/x/lineage",
            "/snapshot/x/0")) {
      call(true, 403, "GET", worker + route, "Bearer " + writeOnly.key(), Map.of(), null);
    }

    // Too large: a chunk over 256 KiB, a snapshot over 256 KiB.
    byte[] big = ReplicationClient.blob(262_145, 5);
    call(
        false,
        413,
        "POST",
        worker + "/replicate",
        token,
        Map.of(),
        "{\"chunks\":[{\"sequence_number\":2,\"block_hash\":\""
            + ReplicationClient.sha256Hex(big)
            + "\",\"ciphertext_b64\":\""
            + Base64.getEncoder().encodeToString(big)
            + "\"}],\"merkle_root\":\""
            + ReplicationClient.chain(log.root, ReplicationClient.sha256Hex(big))
            + "\"}");
    call(
        false,
        413,
        "POST",
        worker + "/snapshot",
        token,
        Map.of(),
        snapshot(a0, 1, null, 0).replaceAll("\"byte_size\":\\d+", "\"byte_size\":262145"));

    // Over the tenant's request rate: 429 with Retry-After (a fresh tenant, so that the walk above
    // does not spend its budget).
    // The refusal itself is checked: a token comes back within milliseconds.
    String hurried = "Bearer " + Http.newProjectToken();
    HttpResponse<byte[]> r = null;
    for (int i = 0; i < 3000 && (r == null || r.statusCode() != 429); i++) {
      r = http.exchange("GET", worker + "/receipt-key", hurried, Map.of(), null);
    }
    record(
        true,
        429,
        new ApiContract.Exchange(
            "GET",
            worker + "/receipt-key",
            Map.of("Authorization", hurried),
            null,
            r.statusCode(),
            r.headers().map(),
            r.body()));

    assertWalkComplete();
  }

  /** The agent-state document's server prefixes, the worker's first. */
  private List<String> agentStatePrefixes() {
    Set<String> all = new TreeSet<>();
    for (String op : contract.operations()) {
      String first = op.split(" ", 2)[0];
      if (first.startsWith("/")) {
        all.add(first);
      }
    }
    List<String> ordered = new ArrayList<>();
    ordered.add("/functions/v1/v2-agent-state");
    all.remove("/functions/v1/v2-agent-state");
    ordered.addAll(all);
    return ordered;
  }

  private static String snapshot(String agent, long seq, String parent, int variant) {
    return snapshot(agent, seq, parent, variant, 48);
  }

  private static String snapshot(String agent, long seq, String parent, int variant, int size) {
    byte[] blob = ReplicationClient.blob(size, seq * 10 + variant);
    return SnapshotBodies.of(agent, seq, parent, ReplicationClient.sha256Hex(blob), blob);
  }

  // ---------------------------------------------------------------------------------------------
  // Operator API

  @Test
  void operatorApiAnswersAsDocumented() throws Exception {
    load("operator.yaml");
    Map<String, String> none = Map.of();
    String name = "contract-" + uuid();

    // An identity provider's token: with the operator role, and without it.
    Keycloak.awaitReady();
    String ops =
        "Bearer " + Keycloak.serviceToken("localhost", "sealsync-ops", "sealsync-ops-test-secret");
    String reader =
        "Bearer "
            + Keycloak.serviceToken("localhost", "sealsync-reader", "sealsync-reader-test-secret");
    call(true, 200, "GET", "/admin/tenants?limit=1", ops, none, null);
    call(true, 403, "POST", "/admin/tenants", reader, none, "{\"name\":\"x\"}");

    // Tenants.
    call(false, 401, "GET", "/admin/tenants", null, none, null);
    call(
        false,
        413,
        "POST",
        "/admin/tenants",
        BASIC,
        none,
        "{\"name\":\"" + "x".repeat(70_000) + "\"}");
    call(
        false,
        401,
        "GET",
        "/admin/tenants",
        "Basic "
            + Base64.getEncoder().encodeToString("admin:wrong".getBytes(StandardCharsets.UTF_8)),
        none,
        null);
    call(false, 401, "POST", "/admin/tenants", null, none, "{\"name\":\"x\"}");
    JsonObject tenant =
        json(call(true, 201, "POST", "/admin/tenants", BASIC, none, "{\"name\":\"" + name + "\"}"));
    long tenantId = tenant.getJsonNumber("tenant_id").longValue();
    call(true, 409, "POST", "/admin/tenants", BASIC, none, "{\"name\":\"" + name + "\"}");
    call(false, 400, "POST", "/admin/tenants", BASIC, none, "{\"name\":\"\"}");
    call(false, 400, "POST", "/admin/tenants", BASIC, none, "[");
    call(true, 200, "GET", "/admin/tenants", BASIC, none, null);
    call(
        true, 200, "GET", "/admin/tenants?q=" + enc(name) + "&limit=5&offset=0", BASIC, none, null);
    call(false, 400, "GET", "/admin/tenants?limit=x", BASIC, none, null);
    call(false, 405, "DELETE", "/admin/tenants", BASIC, none, null);
    String t = "/admin/tenants/" + tenantId;
    call(true, 200, "GET", t, BASIC, none, null);
    call(true, 404, "GET", "/admin/tenants/999999999", BASIC, none, null);
    call(false, 404, "GET", "/admin/tenants/x", BASIC, none, null);
    call(false, 401, "GET", t, null, none, null);

    // Keys.
    JsonObject key =
        json(
            call(
                true,
                201,
                "POST",
                t + "/keys",
                BASIC,
                none,
                "{\"name\":\"ci\",\"scopes\":[\"read\",\"write\"]}"));
    long keyId = key.getJsonNumber("id").longValue();
    call(
        true,
        201,
        "POST",
        t + "/keys",
        BASIC,
        none,
        "{\"name\":\"dated\",\"expires_at\":\"2099-01-01T00:00:00Z\"}");
    call(false, 400, "POST", t + "/keys", BASIC, none, "{\"scopes\":[\"admin\"]}");
    call(true, 404, "POST", "/admin/tenants/999999999/keys", BASIC, none, "{\"name\":\"x\"}");
    call(false, 401, "POST", t + "/keys", null, none, "{\"name\":\"x\"}");
    call(true, 200, "GET", t + "/keys", BASIC, none, null);
    call(true, 404, "GET", "/admin/tenants/999999999/keys", BASIC, none, null);
    call(false, 401, "GET", t + "/keys", null, none, null);
    call(true, 200, "POST", t + "/keys/" + keyId + "/revoke", BASIC, none, null);
    call(true, 404, "POST", t + "/keys/999999999/revoke", BASIC, none, null);
    call(false, 401, "POST", t + "/keys/" + keyId + "/revoke", null, none, null);

    // Credit.
    call(true, 200, "POST", t + "/credits", BASIC, none, "{\"cents\":500,\"note\":\"contract\"}");
    call(false, 400, "POST", t + "/credits", BASIC, none, "{\"cents\":\"x\"}");
    call(true, 404, "POST", "/admin/tenants/999999999/credits", BASIC, none, "{\"cents\":1}");
    call(false, 401, "POST", t + "/credits", null, none, "{\"cents\":1}");
    call(true, 200, "GET", t + "/ledger", BASIC, none, null);
    call(true, 200, "GET", t + "/ledger?limit=1", BASIC, none, null);
    call(false, 400, "GET", t + "/ledger?limit=x", BASIC, none, null);
    call(true, 404, "GET", "/admin/tenants/999999999/ledger", BASIC, none, null);
    call(false, 401, "GET", t + "/ledger", null, none, null);
    call(true, 200, "GET", t + "/balance-history", BASIC, none, null);
    call(true, 404, "GET", "/admin/tenants/999999999/balance-history", BASIC, none, null);
    call(false, 401, "GET", t + "/balance-history", null, none, null);

    // The tenant's agent state: give it a log and a snapshot through a live key.
    Http.LiveTenant live = http.liveTenant(100_000, null, null);
    String lt = "/admin/tenants/" + live.tenantId();
    ReplicationClient log = new ReplicationClient(http, live.key());
    assertEquals(200, log.append(List.of(ReplicationClient.blob(64, 7))).status());
    assertEquals(
        200,
        http.post(
                "/functions/v1/v2-agent-state/snapshot",
                live.key(),
                snapshot("ops-agent", 0, null, 0))
            .status());
    call(true, 200, "GET", lt + "/agent-state", BASIC, none, null);
    call(true, 404, "GET", "/admin/tenants/999999999/agent-state", BASIC, none, null);
    call(false, 401, "GET", lt + "/agent-state", null, none, null);
    call(true, 200, "GET", lt + "/agent-state/agents", BASIC, none, null);
    call(true, 200, "GET", lt + "/agent-state/agents?limit=1&offset=0", BASIC, none, null);
    call(true, 404, "GET", "/admin/tenants/999999999/agent-state/agents", BASIC, none, null);
    call(false, 401, "GET", lt + "/agent-state/agents", null, none, null);
    call(true, 200, "GET", lt + "/agent-state/lineage?agent_id=ops-agent", BASIC, none, null);
    call(
        true,
        200,
        "GET",
        lt + "/agent-state/lineage?agent_id=ops-agent&limit=1&before=1",
        BASIC,
        none,
        null);
    call(false, 400, "GET", lt + "/agent-state/lineage", BASIC, none, null);
    call(false, 401, "GET", lt + "/agent-state/lineage?agent_id=x", null, none, null);
    call(true, 200, "GET", lt + "/agent-state/verify", BASIC, none, null);
    call(true, 404, "GET", "/admin/tenants/999999999/agent-state/verify", BASIC, none, null);
    call(false, 401, "GET", lt + "/agent-state/verify", null, none, null);

    // The audit log and the console's figures.
    call(true, 200, "GET", "/admin/audit", BASIC, none, null);
    call(
        true,
        200,
        "GET",
        "/admin/audit?actor=admin&action=tenant.create&outcome=ok&limit=2",
        BASIC,
        none,
        null);
    call(false, 400, "GET", "/admin/audit?before=x", BASIC, none, null);
    call(false, 401, "GET", "/admin/audit", null, none, null);
    call(true, 200, "GET", "/admin/overview", BASIC, none, null);
    call(false, 401, "GET", "/admin/overview", null, none, null);
    call(true, 200, "GET", "/admin/metrics", BASIC, none, null);
    call(false, 401, "GET", "/admin/metrics", null, none, null);

    // Row sync: a user with a pushed bundle, and a server write.
    String user = "contract-ops-" + uuid();
    SyncClient device = new SyncClient(http, user, "ops-src");
    assertEquals(200, device.connect(false).status());
    device.push(1, List.of(SyncClient.tag("ops", "INSERT", 0, "teal")));
    call(true, 200, "GET", "/admin/rowsync", BASIC, none, null);
    call(false, 401, "GET", "/admin/rowsync", null, none, null);
    call(true, 200, "GET", "/admin/rowsync/users", BASIC, none, null);
    call(
        true,
        200,
        "GET",
        "/admin/rowsync/users?q=" + enc(user) + "&limit=5&offset=0",
        BASIC,
        none,
        null);
    call(false, 400, "GET", "/admin/rowsync/users?limit=x", BASIC, none, null);
    call(false, 401, "GET", "/admin/rowsync/users", null, none, null);
    String u = "?user_id=" + enc(user);
    call(true, 200, "GET", "/admin/rowsync/user" + u, BASIC, none, null);
    call(true, 404, "GET", "/admin/rowsync/user?user_id=nobody-" + uuid(), BASIC, none, null);
    call(false, 400, "GET", "/admin/rowsync/user", BASIC, none, null);
    call(false, 401, "GET", "/admin/rowsync/user" + u, null, none, null);
    call(true, 200, "GET", "/admin/rowsync/user/bundles" + u, BASIC, none, null);
    call(
        true,
        200,
        "GET",
        "/admin/rowsync/user/bundles" + u + "&limit=1&before=2",
        BASIC,
        none,
        null);
    call(
        true,
        404,
        "GET",
        "/admin/rowsync/user/bundles?user_id=nobody-" + uuid(),
        BASIC,
        none,
        null);
    call(false, 400, "GET", "/admin/rowsync/user/bundles", BASIC, none, null);
    call(false, 401, "GET", "/admin/rowsync/user/bundles" + u, null, none, null);
    call(
        true,
        200,
        "GET",
        "/admin/rowsync/user/bundle-rows" + u + "&bundle_seq=1",
        BASIC,
        none,
        null);
    call(
        true,
        200,
        "GET",
        "/admin/rowsync/user/bundle-rows" + u + "&bundle_seq=1&limit=1&after=0",
        BASIC,
        none,
        null);
    call(
        true,
        404,
        "GET",
        "/admin/rowsync/user/bundle-rows" + u + "&bundle_seq=99",
        BASIC,
        none,
        null);
    call(false, 400, "GET", "/admin/rowsync/user/bundle-rows" + u, BASIC, none, null);
    call(
        false,
        401,
        "GET",
        "/admin/rowsync/user/bundle-rows" + u + "&bundle_seq=1",
        null,
        none,
        null);
    String writes = "/admin/rowsync/users/" + enc(user) + "/writes";
    call(
        true,
        200,
        "POST",
        writes,
        BASIC,
        none,
        "{\"writer_id\":\"admin:contract\",\"rows\":["
            + SyncClient.tag("ops", "UPDATE", 1, "navy")
            + "]}");
    call(false, 400, "POST", writes, BASIC, none, "{\"rows\":[]}");
    call(false, 401, "POST", writes, null, none, "{\"writer_id\":\"a\",\"rows\":[]}");
    call(false, 405, "GET", writes, BASIC, none, null);

    // Every route refuses an authenticated caller without the operator role.
    for (String route :
        List.of(
            "/admin/tenants",
            t,
            t + "/keys",
            t + "/ledger",
            t + "/balance-history",
            lt + "/agent-state",
            lt + "/agent-state/agents",
            lt + "/agent-state/lineage?agent_id=ops-agent",
            lt + "/agent-state/verify",
            "/admin/audit",
            "/admin/overview",
            "/admin/metrics",
            "/admin/rowsync",
            "/admin/rowsync/users",
            "/admin/rowsync/user" + u,
            "/admin/rowsync/user/bundles" + u,
            "/admin/rowsync/user/bundle-rows" + u + "&bundle_seq=1")) {
      call(true, 403, "GET", route, reader, none, null);
    }
    call(true, 403, "POST", t + "/keys", reader, none, "{\"name\":\"x\"}");
    call(true, 403, "POST", t + "/keys/" + keyId + "/revoke", reader, none, null);
    call(true, 403, "POST", t + "/credits", reader, none, "{\"cents\":1}");
    call(
        true,
        403,
        "POST",
        writes,
        reader,
        none,
        "{\"writer_id\":\"a\",\"rows\":[" + SyncClient.tag("ops", "DELETE", 0, null) + "]}");

    assertWalkComplete();
  }
}
