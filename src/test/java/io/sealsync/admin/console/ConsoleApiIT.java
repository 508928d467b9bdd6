package io.sealsync.admin.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.agentstate.ReplicationClient;
import io.sealsync.rowsync.SyncClient;
import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.Migrations;
import io.sealsync.testsupport.TestDatabase;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operator API the console uses, its protections and the console's files, over HTTP. */
@ExtendWith(ArquillianExtension.class)
class ConsoleApiIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;
  Http http;

  @BeforeEach
  void setUp() {
    http = new Http(base);
  }

  private Http.Reply get(String path) {
    return http.send("GET", path, Operators.ADMIN, null);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  // ---- protection -------------------------------------------------------------------------

  /** Every route the console added, read and write. */
  private List<String[]> newRoutes(long tenantId) {
    String t = "/admin/tenants/" + tenantId;
    return List.of(
        new String[] {"GET", "/admin/overview"},
        new String[] {"GET", "/admin/metrics"},
        new String[] {"GET", "/admin/tenants"},
        new String[] {"GET", t + "/balance-history"},
        new String[] {"GET", t + "/ledger?before=10"},
        new String[] {"GET", t + "/agent-state"},
        new String[] {"GET", t + "/agent-state/agents"},
        new String[] {"GET", t + "/agent-state/lineage?agent_id=a"},
        new String[] {"GET", t + "/agent-state/verify"},
        new String[] {"GET", "/admin/rowsync"},
        new String[] {"GET", "/admin/rowsync/users"},
        new String[] {"GET", "/admin/rowsync/user?user_id=x"},
        new String[] {"GET", "/admin/rowsync/user/bundles?user_id=x"},
        new String[] {"GET", "/admin/rowsync/user/bundle-rows?user_id=x&bundle_seq=1"},
        new String[] {"GET", "/admin/audit"},
        new String[] {"GET", "/console/"},
        new String[] {"GET", "/console/index.html"},
        new String[] {"GET", "/console/js/api.js"},
        new String[] {"POST", "/admin/tenants"},
        new String[] {"POST", t + "/credits"});
  }

  @Test
  void everyNewRouteNeedsTheOperatorRole() {
    long tenantId = http.liveTenant(0, null, null).tenantId();
    for (String[] route : newRoutes(tenantId)) {
      byte[] body = route[0].equals("POST") ? "{\"name\":\"x\",\"cents\":1}".getBytes() : null;
      Http.Reply anonymous = http.send(route[0], route[1], null, body);
      // The test servers offer the console's OpenID Connect sign-in (ConsoleOidcIT): an anonymous
      // visitor of the console is sent there; the API answers 401.
      assertEquals(
          route[1].startsWith("/console/") ? 302 : 401,
          anonymous.status(),
          route[0] + " " + route[1] + " without credentials");
      Http.Reply wrong =
          http.send(route[0], route[1], Operators.basic("admin", "wrong-password"), body);
      assertEquals(401, wrong.status(), route[0] + " " + route[1] + " with a wrong password");
      Http.Reply viewer = http.send(route[0], route[1], Operators.VIEWER, body);
      assertEquals(403, viewer.status(), route[0] + " " + route[1] + " without the role");
    }
    // Nothing the refused writes asked for happened.
    assertEquals(0, get("/admin/tenants/" + tenantId).json().getInt("credits"));
  }

  @Test
  void signingOutNeedsNoCredentials() {
    Http.Reply out = http.send("GET", "/console/logout", null, null);
    assertEquals(200, out.status());
    assertTrue(out.text().contains("<title>Sealsync console"), out.text());
    assertTrue(out.text().contains("close"), "the page explains that BASIC credentials stay");
    assertEquals(200, http.send("GET", "/console/console.css", null, null).status());
  }

  @Test
  void browserWritesNeedTheCsrfHeaderAndScriptsDoNot() {
    String name = "csrf-" + UUID.randomUUID();
    byte[] body = ("{\"name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
    String browser = "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36";

    Http.Reply forged =
        http.send("POST", "/admin/tenants", Operators.ADMIN, Map.of("User-Agent", browser), body);
    assertEquals(403, forged.status(), forged.text());
    assertEquals("csrf_check_failed", forged.error());
    Http.Reply crossSite =
        http.send(
            "POST",
            "/admin/tenants",
            Operators.ADMIN,
            Map.of(
                "User-Agent",
                browser,
                "X-Sealsync-Request",
                "console",
                "Sec-Fetch-Site",
                "cross-site"),
            body);
    assertEquals(403, crossSite.status(), crossSite.text());
    Http.Reply fromOrigin =
        http.send(
            "POST",
            "/admin/tenants",
            Operators.ADMIN,
            Map.of("Origin", "https://evil.example", "User-Agent", browser),
            body);
    assertEquals(403, fromOrigin.status());
    assertEquals(0L, total("/admin/tenants?q=" + enc(name)), "no refused write happened");

    Http.Reply console =
        http.send(
            "POST",
            "/admin/tenants",
            Operators.ADMIN,
            Map.of(
                "User-Agent",
                browser,
                "X-Sealsync-Request",
                "console",
                "Sec-Fetch-Site",
                "same-origin"),
            body);
    assertEquals(201, console.status(), console.text());
    // A script (no browser headers) needs no header; reads never do.
    Http.Reply script = http.admin("POST", "/admin/tenants", "{\"name\":\"s-" + name + "\"}");
    assertEquals(201, script.status(), script.text());
    assertEquals(
        200,
        http.send("GET", "/admin/tenants", Operators.ADMIN, Map.of("User-Agent", browser), null)
            .status());
  }

  @Test
  void consoleResponsesCarryAStrictContentSecurityPolicy() {
    for (String path : List.of("/console/", "/console/tenants.html", "/admin/overview")) {
      HttpResponse<byte[]> r = http.sendWithHeaders("GET", path, Operators.ADMIN);
      assertEquals(200, r.statusCode(), path);
      String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
      assertTrue(csp.contains("default-src 'none'"), path + ": " + csp);
      assertTrue(csp.contains("script-src 'self'"), csp);
      assertFalse(csp.contains("unsafe-inline"), csp);
      assertTrue(csp.contains("frame-ancestors 'none'"), csp);
      assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
    }
    HttpResponse<byte[]> page = http.sendWithHeaders("GET", "/console/", Operators.ADMIN);
    String html = new String(page.body(), StandardCharsets.UTF_8);
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(html.contains("<title>Sealsync console"), html);
    assertTrue(html.contains("<main id=\"overview\""), html);
    assertTrue(html.contains("<script type=\"module\" src=\"js/overview.js\">"), html);
    assertFalse(html.contains("<script>"), "no inline script");
    assertFalse(html.contains("http://") || html.contains("https://"), "nothing from other sites");
    assertEquals(404, get("/console/nope.html").status());
    assertEquals(404, get("/console/..%2FWEB-INF%2Fweb.xml").status());
  }

  @Test
  void swaggerUiIsServedFromTheWarToOperatorsOnly() {
    // The API reference page's Swagger UI comes from its WebJar in the WAR, under the console's
    // sign-in and Content-Security-Policy, and is revalidated rather than sent again.
    HttpResponse<byte[]> bundle =
        http.sendWithHeaders("GET", "/console/swagger-ui/swagger-ui-bundle.js", Operators.ADMIN);
    assertEquals(200, bundle.statusCode());
    assertTrue(
        bundle.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
    assertTrue(bundle.body().length > 100_000, "the whole bundle");
    assertTrue(
        bundle.headers().firstValue("Content-Security-Policy").orElse("").contains("'self'"));
    String etag = bundle.headers().firstValue("ETag").orElseThrow();
    assertEquals(
        304,
        http.send(
                "GET",
                "/console/swagger-ui/swagger-ui-bundle.js",
                Operators.ADMIN,
                Map.of("If-None-Match", etag),
                null)
            .status());
    assertEquals(200, get("/console/swagger-ui/swagger-ui.css").status());
    assertEquals(404, get("/console/swagger-ui/nope.js").status());
    assertEquals(404, get("/console/swagger-ui/..%2F..%2Fwebjars-locator-lite.js").status());
    assertEquals(
        403,
        http.send("GET", "/console/swagger-ui/swagger-ui.css", Operators.VIEWER, null).status());
    String page = get("/console/api.html").text();
    assertTrue(page.contains("<script defer src=\"swagger-ui/swagger-ui-bundle.js\">"), page);
    assertFalse(page.contains("http://") || page.contains("https://"), "nothing from other sites");
  }

  // ---- paging --------------------------------------------------------------------------------

  @Test
  void badPagingParametersAre400InTheEnvelope() {
    long tenantId = http.liveTenant(0, null, null).tenantId();
    String t = "/admin/tenants/" + tenantId;
    List<String> lists =
        List.of(
            "/admin/tenants?",
            t + "/ledger?",
            t + "/balance-history?",
            t + "/agent-state/agents?",
            t + "/agent-state/lineage?agent_id=a&",
            "/admin/rowsync/users?",
            "/admin/rowsync/user/bundles?user_id=x&",
            "/admin/rowsync/user/bundle-rows?user_id=x&bundle_seq=1&",
            "/admin/audit?");
    for (String list : lists) {
      for (String bad :
          List.of("limit=0", "limit=-1", "limit=100000", "limit=abc", "limit=1.5", "limit=9e99")) {
        Http.Reply r = get(list + bad);
        assertEquals(400, r.status(), list + bad + ": " + r.text());
        assertEquals("invalid_request", r.error(), list + bad);
      }
    }
    for (String offsetList :
        List.of("/admin/tenants?", t + "/agent-state/agents?", "/admin/rowsync/users?")) {
      for (String bad : List.of("offset=-1", "offset=100001", "offset=x")) {
        assertEquals(400, get(offsetList + bad).status(), offsetList + bad);
      }
    }
    for (String cursorList :
        List.of(
            t + "/ledger?",
            t + "/agent-state/lineage?agent_id=a&",
            "/admin/rowsync/user/bundles?user_id=x&",
            "/admin/audit?")) {
      assertEquals(400, get(cursorList + "before=-5").status(), cursorList);
      assertEquals(400, get(cursorList + "before=abc").status(), cursorList);
    }
    assertEquals(400, get("/admin/audit?outcome=maybe").status());
    assertEquals(400, get("/admin/tenants?q=" + "x".repeat(201)).status());
    assertEquals(400, get(t + "/agent-state/lineage").status(), "agent_id is required");
    assertEquals(400, get("/admin/rowsync/user").status(), "user_id is required");
    assertEquals(400, get("/admin/rowsync/user/bundle-rows?user_id=x").status());
    // The upper limits themselves are accepted.
    assertEquals(200, get("/admin/tenants?limit=200&offset=100000").status());
    assertEquals(200, get(t + "/ledger?limit=1000").status());
    assertEquals(200, get("/admin/audit?limit=200").status());
  }

  private long total(String path) {
    Http.Reply r = get(path);
    assertEquals(200, r.status(), r.text());
    return r.json().getJsonNumber("total").longValue();
  }

  @Test
  void tenantsAreSearchedAndPaged() {
    String prefix = "page-" + UUID.randomUUID();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Http.Reply r =
          http.admin("POST", "/admin/tenants", "{\"name\":\"" + prefix + "-" + i + "\"}");
      assertEquals(201, r.status());
      ids.add(r.json().getJsonNumber("tenant_id").longValue());
    }
    String q = "/admin/tenants?q=" + enc(prefix.toUpperCase()) + "&limit=2";
    JsonObject first = get(q).json();
    assertEquals(5, first.getInt("total"));
    assertEquals(2, first.getJsonArray("items").size());
    assertEquals(2, first.getInt("next"));
    // Newest first.
    assertEquals(
        ids.get(4),
        first.getJsonArray("items").getJsonObject(0).getJsonNumber("tenant_id").longValue());
    JsonObject last = get(q + "&offset=4").json();
    assertEquals(1, last.getJsonArray("items").size());
    assertTrue(last.isNull("next"));
    assertEquals(prefix + "-0", last.getJsonArray("items").getJsonObject(0).getString("name"));
    // By tenant id.
    JsonObject byId = get("/admin/tenants?q=" + ids.get(2)).json();
    // (Names containing the digits match too.)
    assertTrue(
        byId.getJsonArray("items").getValuesAs(JsonObject.class).stream()
            .anyMatch(x -> x.getString("name").equals(prefix + "-2")),
        byId.toString());
    // LIKE wildcards are literal.
    assertEquals(0L, total("/admin/tenants?q=" + enc(prefix + "%")));
  }

  @Test
  void ledgerPagesBackwardsAndTheBalanceHistoryFollowsIt() {
    long id = http.liveTenant(0, null, null).tenantId();
    for (int cents = 1; cents <= 5; cents++) {
      assertEquals(
          200,
          http.admin("POST", "/admin/tenants/" + id + "/credits", "{\"cents\":" + cents + "}")
              .status());
    }
    JsonArray page1 = get("/admin/tenants/" + id + "/ledger?limit=2").array();
    assertEquals(2, page1.size());
    assertEquals(5000, page1.getJsonObject(0).getJsonNumber("delta_milli").longValue());
    long cursor = page1.getJsonObject(1).getJsonNumber("id").longValue();
    JsonArray page2 = get("/admin/tenants/" + id + "/ledger?limit=2&before=" + cursor).array();
    assertEquals(3000, page2.getJsonObject(0).getJsonNumber("delta_milli").longValue());
    assertEquals(2000, page2.getJsonObject(1).getJsonNumber("delta_milli").longValue());
    long cursor2 = page2.getJsonObject(1).getJsonNumber("id").longValue();
    JsonArray page3 = get("/admin/tenants/" + id + "/ledger?limit=2&before=" + cursor2).array();
    assertEquals(1, page3.size());

    JsonArray history = get("/admin/tenants/" + id + "/balance-history").array();
    assertEquals(5, history.size());
    long[] expected = {1000, 3000, 6000, 10000, 15000};
    for (int i = 0; i < 5; i++) {
      assertEquals(
          expected[i], history.getJsonObject(i).getJsonNumber("balance_milli").longValue());
    }
    assertEquals(
        2, get("/admin/tenants/" + id + "/balance-history?limit=2").array().size(), "latest two");
    assertEquals(404, get("/admin/tenants/999999999/balance-history").status());
  }

  // ---- overview ------------------------------------------------------------------------------

  @Test
  void overviewReportsHealthDatabaseRowSyncAndTotals() {
    JsonObject o = get("/admin/overview").json();
    assertEquals("UP", o.getJsonObject("readiness").getString("status"), o.toString());
    assertEquals("UP", o.getJsonObject("liveness").getString("status"));
    assertTrue(o.getString("version").startsWith("0."), o.getString("version"));
    assertTrue(o.getJsonNumber("uptime_seconds").longValue() >= 0);
    assertNotNull(o.getString("server_info"));
    JsonObject db = o.getJsonObject("database");
    assertTrue(db.getBoolean("reachable"));
    assertTrue(db.getBoolean("migrations_applied"));
    assertEquals(Migrations.latest(), db.getString("schema_version"));
    assertTrue(db.getString("product").startsWith("PostgreSQL"), db.toString());
    JsonObject rs = o.getJsonObject("row_sync");
    assertEquals("running", rs.getString("lifecycle"));
    assertTrue(rs.getInt("registered_tables") > 0);
    assertTrue(rs.getJsonObject("watch_listener").getBoolean("enabled"));
    JsonObject totals = o.getJsonObject("totals");
    for (String k :
        List.of(
            "tenants",
            "live_keys",
            "log_blocks",
            "log_bytes",
            "snapshots",
            "row_sync_users",
            "bundles",
            "open_push_sessions",
            "open_snapshot_sessions",
            "watchers_on_this_node")) {
      assertTrue(totals.getJsonNumber(k).longValue() >= 0, k);
    }
  }

  @Test
  void metricsCountReplicatesPushesPulledRowsAndErrorsPerMinute() {
    JsonObject before = get("/admin/metrics").json();
    Http.LiveTenant t = http.liveTenant(1000, null, null);
    Operators.replicate(http, t.key(), Operators.blocks(2, 100, 1));
    SyncClient user = new SyncClient(http, "metrics-" + UUID.randomUUID(), "device-a");
    user.connect(false);
    user.push(
        1,
        List.of(
            SyncClient.tag("m-" + UUID.randomUUID(), "INSERT", 0, "red"),
            SyncClient.tag("n-" + UUID.randomUUID(), "INSERT", 0, "blue")));
    SyncClient other = new SyncClient(http, user.user, "device-b");
    assertEquals(200, other.send("GET", "/sync/pull?after_bundle_seq=0", null).status());
    assertEquals(404, http.admin("GET", "/admin/tenants/999999999", null).status());
    JsonObject after = get("/admin/metrics").json();

    assertEquals(60, after.getJsonArray("minutes").size());
    assertTrue(sum(after, "replicate_requests") - sum(before, "replicate_requests") >= 1);
    assertTrue(sum(after, "pushed_bundles") - sum(before, "pushed_bundles") >= 1);
    assertTrue(sum(after, "pulled_rows") - sum(before, "pulled_rows") >= 2);
    assertTrue(errors(after, "404") - errors(before, "404") >= 1, after.toString());
  }

  private static long sum(JsonObject metrics, String series) {
    return metrics
        .getJsonObject("series")
        .getJsonArray(series)
        .getValuesAs(jakarta.json.JsonNumber.class)
        .stream()
        .mapToLong(jakarta.json.JsonNumber::longValue)
        .sum();
  }

  private static long errors(JsonObject metrics, String status) {
    JsonObject e = metrics.getJsonObject("errors");
    if (!e.containsKey(status)) {
      return 0;
    }
    return e.getJsonArray(status).getValuesAs(jakarta.json.JsonNumber.class).stream()
        .mapToLong(jakarta.json.JsonNumber::longValue)
        .sum();
  }

  // ---- agent state ---------------------------------------------------------------------------

  @Test
  void agentStateShowsTheHeadAndVerifyFindsTheFirstBrokenBlock() throws SQLException {
    Http.LiveTenant t = http.liveTenant(1000, null, null);
    String base = "/admin/tenants/" + t.tenantId() + "/agent-state";
    JsonObject empty = get(base).json();
    assertTrue(empty.isNull("head"));
    assertEquals(0, empty.getInt("blocks"));
    assertEquals("intact", verify(base).getString("result"));

    ReplicationClient client = new ReplicationClient(http, t.key());
    assertEquals(200, client.append(Operators.blocks(40, 300, 7)).status());
    JsonObject state = get(base).json();
    assertEquals(39, state.getJsonObject("head").getInt("sequence_number"));
    assertEquals(40, state.getInt("blocks"));
    assertEquals(12000, state.getInt("bytes"));
    assertTrue(state.getJsonNumber("seconds_since_last_block").longValue() >= 0);
    JsonObject intact = verify(base);
    assertEquals("intact", intact.getString("result"), intact.toString());
    assertEquals(40, intact.getInt("blocks_checked"));
    assertEquals(state.getJsonObject("head").getString("merkle_root"), intact.getString("root"));

    try (Connection db = TestDatabase.connect();
        PreparedStatement ps =
            db.prepareStatement(
                "UPDATE replication_log SET ciphertext = ? WHERE tenant_id = ? AND sequence_number = 23")) {
      ps.setBytes(1, new byte[300]);
      ps.setLong(2, t.tenantId());
      assertEquals(1, ps.executeUpdate());
    }
    JsonObject broken = verify(base);
    assertEquals("broken", broken.getString("result"), broken.toString());
    assertEquals(23, broken.getInt("sequence"));
    assertTrue(broken.getString("reason").contains("block_hash"), broken.toString());

    try (Connection db = TestDatabase.connect();
        PreparedStatement ps =
            db.prepareStatement(
                "UPDATE replication_log SET merkle_root = ? WHERE tenant_id = ? AND sequence_number = 5")) {
      ps.setString(1, "f".repeat(64));
      ps.setLong(2, t.tenantId());
      assertEquals(1, ps.executeUpdate());
    }
    JsonObject chain = verify(base);
    assertEquals(5, chain.getInt("sequence"), chain.toString());
    assertTrue(chain.getString("reason").contains("merkle_root"), chain.toString());
  }

  /** The last line of the streamed verify. */
  private JsonObject verify(String base) {
    Http.Reply r = get(base + "/verify");
    assertEquals(200, r.status(), r.text());
    assertTrue(r.contentType().startsWith("application/x-ndjson"), r.contentType());
    String[] lines = r.text().strip().split("\n");
    JsonObject last =
        jakarta.json.Json.createReader(new java.io.StringReader(lines[lines.length - 1]))
            .readObject();
    assertEquals("result", last.getString("type"));
    return last;
  }

  @Test
  void verifyStreamsProgressOverALongLog() {
    Http.LiveTenant t = http.liveTenant(100000, null, null);
    ReplicationClient client = new ReplicationClient(http, t.key());
    assertEquals(200, client.append(Operators.blocks(600, 64, 11)).status());
    Http.Reply r = get("/admin/tenants/" + t.tenantId() + "/agent-state/verify");
    String[] lines = r.text().strip().split("\n");
    assertEquals(3, lines.length, r.text()); // progress at 256 and 512, then the result
    assertTrue(lines[0].contains("\"blocks_checked\":256"), lines[0]);
    assertTrue(lines[2].contains("\"intact\""), lines[2]);
  }

  @Test
  void agentsAndLineagesArePaged() throws SQLException {
    Http.LiveTenant t = http.liveTenant(0, null, null);
    String base = "/admin/tenants/" + t.tenantId() + "/agent-state";
    try (Connection db = TestDatabase.connect();
        PreparedStatement ps =
            db.prepareStatement(
                "INSERT INTO agent_state_snapshots (id, tenant_id, agent_id, sequence_number,"
                    + " parent_snapshot, policy_hash, client_payload_hash, byte_size, cost_milli,"
                    + " status, storage_key, ciphertext) VALUES (?, ?, ?, ?, ?, ?, ?, 10, 0,"
                    + " 'confirmed', 'k', ?)")) {
      for (String agent : List.of("agent-a", "agent-b", "agent-c")) {
        String parent = null;
        for (int seq = 0; seq < 3; seq++) {
          String id = UUID.randomUUID().toString();
          ps.setString(1, id);
          ps.setLong(2, t.tenantId());
          ps.setString(3, agent);
          ps.setLong(4, seq);
          ps.setString(5, parent);
          ps.setString(6, "0".repeat(64));
          ps.setString(7, "0".repeat(64));
          ps.setBytes(8, new byte[10]);
          ps.executeUpdate();
          parent = id;
        }
      }
    }
    JsonObject agents = get(base + "/agents?limit=2").json();
    assertEquals(3, agents.getInt("total"));
    assertEquals("agent-a", agents.getJsonArray("items").getJsonObject(0).getString("agent_id"));
    assertEquals(3, agents.getJsonArray("items").getJsonObject(0).getInt("confirmed"));
    assertEquals(2, agents.getJsonArray("items").getJsonObject(0).getInt("latest_sequence"));
    assertEquals(
        "agent-c",
        get(base + "/agents?limit=2&offset=2")
            .json()
            .getJsonArray("items")
            .getJsonObject(0)
            .getString("agent_id"));
    JsonObject lineage = get(base + "/lineage?agent_id=agent-b&limit=2").json();
    assertEquals(2, lineage.getJsonArray("items").size());
    assertEquals(2, lineage.getJsonArray("items").getJsonObject(0).getInt("sequence_number"));
    assertEquals(1, lineage.getInt("next_before"));
    JsonObject rest = get(base + "/lineage?agent_id=agent-b&limit=2&before=1").json();
    assertEquals(1, rest.getJsonArray("items").size());
    assertTrue(rest.getJsonArray("items").getJsonObject(0).isNull("parent_snapshot"));
    assertEquals(3, get(base).json().getInt("snapshots") / 3);
  }

  // ---- row sync ------------------------------------------------------------------------------

  @Test
  void rowSyncShowsUsersBundlesAndRows() {
    String userId = "console-" + UUID.randomUUID();
    SyncClient c = new SyncClient(http, userId, "laptop");
    c.connect(false);
    String tag = "t-" + UUID.randomUUID();
    JsonObject committed =
        c.push(
            1,
            List.of(
                SyncClient.tag(tag, "INSERT", 0, "green"),
                SyncClient.tag(tag + "x", "INSERT", 0, null)));
    long seq = committed.getJsonNumber("bundle_seq").longValue();

    JsonObject settings = get("/admin/rowsync").json();
    assertTrue(settings.getJsonArray("registered_tables").size() > 0);
    assertEquals(40, settings.getJsonObject("retention").getInt("retained_bundles_per_user"));
    assertEquals(600, settings.getInt("initialization_lease_seconds"));

    JsonObject users = get("/admin/rowsync/users?q=" + enc(userId)).json();
    assertEquals(1, users.getInt("total"));
    JsonObject u = users.getJsonArray("items").getJsonObject(0);
    assertEquals(userId, u.getString("user_id"));
    assertEquals("initialized", u.getString("scope_state"));
    assertEquals(seq, u.getInt("latest_bundle_seq"));
    assertEquals(1, u.getInt("active_sources"));

    JsonObject detail = get("/admin/rowsync/user?user_id=" + enc(userId)).json();
    assertEquals("laptop", detail.getJsonArray("sources").getJsonObject(0).getString("source_id"));
    assertEquals("active", detail.getJsonArray("sources").getJsonObject(0).getString("state"));
    assertEquals(0, detail.getJsonArray("push_sessions").size());

    JsonObject bundles = get("/admin/rowsync/user/bundles?user_id=" + enc(userId)).json();
    assertEquals(seq, bundles.getJsonArray("items").getJsonObject(0).getInt("bundle_seq"));
    assertEquals(2, bundles.getJsonArray("items").getJsonObject(0).getInt("row_count"));

    JsonObject rows =
        get("/admin/rowsync/user/bundle-rows?user_id="
                + enc(userId)
                + "&bundle_seq="
                + seq
                + "&limit=1")
            .json();
    JsonObject row = rows.getJsonArray("items").getJsonObject(0);
    assertEquals("demo.tags", row.getString("table"));
    assertEquals(tag, row.getString("key"));
    assertEquals("INSERT", row.getString("op"));
    assertEquals("green", row.getJsonObject("payload").getString("color"));
    long next = rows.getJsonNumber("next_after").longValue();
    assertEquals(row.getJsonNumber("row_ordinal").longValue(), next);
    JsonObject second =
        get("/admin/rowsync/user/bundle-rows?user_id="
                + enc(userId)
                + "&bundle_seq="
                + seq
                + "&after="
                + next)
            .json();
    assertEquals(tag + "x", second.getJsonArray("items").getJsonObject(0).getString("key"));

    // An open push session shows.
    Http.Reply open = c.create(2, 5, null);
    assertEquals(200, open.status(), open.text());
    JsonObject withSession = get("/admin/rowsync/user?user_id=" + enc(userId)).json();
    assertEquals(1, withSession.getJsonArray("push_sessions").size());
    JsonObject session = withSession.getJsonArray("push_sessions").getJsonObject(0);
    assertEquals(5, session.getInt("planned_rows"));
    assertEquals(open.json().getString("push_id"), session.getString("push_id"));
    assertEquals("laptop", session.getString("source_id"));
    assertEquals(2, session.getInt("source_bundle_id"));
    Duration left = Duration.between(Instant.now(), Instant.parse(session.getString("expires_at")));
    assertTrue(left.toMinutes() >= 13 && left.toMinutes() <= 15, "expires in " + left);

    // So does an open snapshot session, taken at the latest bundle.
    Http.Reply snapshot = c.send("POST", "/sync/snapshot-sessions", "");
    assertEquals(200, snapshot.status(), snapshot.text());
    JsonObject snapshots =
        get("/admin/rowsync/user?user_id=" + enc(userId))
            .json()
            .getJsonArray("snapshot_sessions")
            .getJsonObject(0);
    assertEquals(snapshot.json().getString("snapshot_id"), snapshots.getString("snapshot_id"));
    assertEquals(seq, snapshots.getInt("snapshot_bundle_seq"));
    assertEquals(2, snapshots.getInt("rows"));

    assertEquals(404, get("/admin/rowsync/user?user_id=nobody-" + UUID.randomUUID()).status());
    assertEquals(
        404,
        get("/admin/rowsync/user/bundle-rows?user_id=" + enc(userId) + "&bundle_seq=999").status());
  }

  // ---- audit ---------------------------------------------------------------------------------

  @Test
  void everyOperatorWriteIsAuditedWithItsOutcome() {
    String name = "audit-" + UUID.randomUUID();
    Http.Reply created = http.admin("POST", "/admin/tenants", "{\"name\":\"" + name + "\"}");
    long id = created.json().getJsonNumber("tenant_id").longValue();
    assertEquals(409, http.admin("POST", "/admin/tenants", "{\"name\":\"" + name + "\"}").status());
    http.admin("POST", "/admin/tenants/" + id + "/credits", "{\"cents\":75}");
    long keyId =
        http.admin("POST", "/admin/tenants/" + id + "/keys", "{\"name\":\"k\"}")
            .json()
            .getJsonNumber("id")
            .longValue();
    http.admin("POST", "/admin/tenants/" + id + "/keys/" + keyId + "/revoke", null);
    assertEquals(
        404, http.admin("POST", "/admin/tenants/" + id + "/keys/999999/revoke", null).status());
    String user = "audited-" + UUID.randomUUID();
    assertEquals(
        200,
        http.admin(
                "POST",
                "/admin/rowsync/users/" + user + "/writes",
                "{\"writer_id\":\"admin:test\",\"rows\":["
                    + SyncClient.tag("a-" + UUID.randomUUID(), "INSERT", 0, "red")
                    + "]}")
            .status());

    List<JsonObject> forTenant = auditOf(id);
    List<String> actions = new ArrayList<>();
    for (JsonObject e : forTenant) {
      actions.add(e.getString("action") + ":" + e.getString("outcome"));
      assertEquals(Http.ADMIN_USER, e.getString("actor"));
    }
    assertEquals(
        List.of(
            "key.revoke:failed",
            "key.revoke:ok",
            "key.issue:ok",
            "tenant.credits.add:ok",
            "tenant.create:ok"),
        actions);
    assertTrue(forTenant.get(3).getString("detail").contains("75 cents"), forTenant.toString());
    JsonObject failedCreate =
        get("/admin/audit?action=tenant.create&outcome=failed&target=" + enc(name))
            .json()
            .getJsonArray("items")
            .getJsonObject(0);
    assertTrue(failedCreate.getString("detail").contains("name_taken"), failedCreate.toString());
    JsonObject write =
        get("/admin/audit?action=rowsync.&target=" + enc(user))
            .json()
            .getJsonArray("items")
            .getJsonObject(0);
    assertEquals("rowsync.server-write", write.getString("action"));
    assertEquals("ok", write.getString("outcome"));
    assertEquals(
        0,
        get("/admin/audit?action=tenant.create&actor=someone-else&target=" + enc(name))
            .json()
            .getJsonArray("items")
            .size());

    // Paging: newest first, next_before continues, the last page has none.
    JsonObject all = get("/admin/audit?limit=3").json();
    assertEquals(3, all.getJsonArray("items").size());
    long next = all.getJsonNumber("next_before").longValue();
    JsonObject older = get("/admin/audit?limit=3&before=" + next).json();
    assertTrue(older.getJsonArray("items").getJsonObject(0).getJsonNumber("id").longValue() < next);
    JsonObject tail =
        get("/admin/audit?limit=200&action=tenant.create&outcome=failed&target=" + enc(name))
            .json();
    assertEquals(1, tail.getJsonArray("items").size());
    assertTrue(tail.isNull("next_before"));
  }

  /** The audit entries whose target is exactly this tenant (or one of its keys), newest first. */
  private List<JsonObject> auditOf(long tenantId) {
    java.util.regex.Pattern exact =
        java.util.regex.Pattern.compile("tenant " + tenantId + "(?:[ ,].*)?");
    return get("/admin/audit?limit=200&target=" + enc("tenant " + tenantId))
        .json()
        .getJsonArray("items")
        .getValuesAs(JsonObject.class)
        .stream()
        .filter(e -> exact.matcher(e.getString("target")).matches())
        .toList();
  }

  @Test
  void theAuditTableIsAppendOnly() throws SQLException {
    http.admin("POST", "/admin/tenants", "{\"name\":\"ao-" + UUID.randomUUID() + "\"}");
    try (Connection db = TestDatabase.connect();
        Statement st = db.createStatement()) {
      assertThrows(
          SQLException.class, () -> st.executeUpdate("UPDATE operator_audit SET actor = 'x'"));
      assertThrows(SQLException.class, () -> st.executeUpdate("DELETE FROM operator_audit"));
      assertThrows(SQLException.class, () -> st.executeUpdate("TRUNCATE operator_audit"));
    }
  }
}
