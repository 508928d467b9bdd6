package io.sealsync.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.Http;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.URL;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operator API and the health endpoints. */
@ExtendWith(ArquillianExtension.class)
class AdminApiIT {
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

  @Test
  void theOperatorApiNeedsTheAdminRole() {
    assertEquals(
        401, http.send("POST", "/admin/tenants", null, "{\"name\":\"x\"}".getBytes()).status());
    String wrongPassword =
        "Basic " + java.util.Base64.getEncoder().encodeToString("admin:nope".getBytes());
    assertEquals(401, http.send("GET", "/admin/tenants/1", wrongPassword, null).status());
    // A bearer token of the agent-state protocol is no operator credential.
    assertEquals(
        401,
        http.send("GET", "/admin/tenants/1", "Bearer " + Http.newProjectToken(), null).status());
  }

  /**
   * A browser sends cookies to any site's requests, so a cookie must never stand in for the
   * operator's credentials (OpenLiberty answers a sign-in with an LTPA cookie, others may start a
   * session).
   */
  @Test
  void aCookieOfAnEarlierAnswerIsNoOperatorCredential() {
    String basic =
        "Basic "
            + java.util.Base64.getEncoder()
                .encodeToString((Http.ADMIN_USER + ":" + Http.ADMIN_PASSWORD).getBytes());
    java.net.http.HttpResponse<byte[]> signedIn =
        http.sendWithHeaders("GET", "/admin/tenants/999999999", basic);
    assertEquals(404, signedIn.statusCode());
    String cookies =
        signedIn.headers().allValues("Set-Cookie").stream()
            .map(c -> c.split(";", 2)[0])
            .collect(java.util.stream.Collectors.joining("; "));
    java.util.Map<String, String> withCookies =
        cookies.isEmpty() ? java.util.Map.of() : java.util.Map.of("Cookie", cookies);
    Http.Reply cookieOnly = http.send("GET", "/admin/tenants/999999999", null, withCookies, null);
    assertEquals(401, cookieOnly.status(), cookies + " " + cookieOnly.text());
    String wrongPassword =
        "Basic "
            + java.util.Base64.getEncoder()
                .encodeToString((Http.ADMIN_USER + ":not-the-password").getBytes());
    Http.Reply cookieAndWrongPassword =
        http.send("GET", "/admin/tenants/999999999", wrongPassword, withCookies, null);
    assertEquals(401, cookieAndWrongPassword.status(), cookies);
  }

  @Test
  void operatorsCreatingOneNameAtOnceGetOneTenantAndNameTaken() throws Exception {
    String name = "race-" + UUID.randomUUID();
    java.util.List<java.util.concurrent.CompletableFuture<Http.Reply>> calls =
        new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      // Names differ in case only: they are one name (case-insensitive uniqueness).
      String spelled = i % 2 == 0 ? name : name.toUpperCase(java.util.Locale.ROOT);
      calls.add(
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> http.admin("POST", "/admin/tenants", "{\"name\":\"" + spelled + "\"}")));
    }
    java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
    for (var call : calls) {
      Http.Reply r = call.get();
      statuses.merge(r.status(), 1, Integer::sum);
      if (r.status() == 409) {
        assertEquals("name_taken", r.error(), r.text());
      }
    }
    assertEquals(java.util.Map.of(201, 1, 409, 5), statuses);
  }

  @Test
  void tenantsKeysAndCredits() {
    String name = "acme-" + UUID.randomUUID();
    Http.Reply created = http.admin("POST", "/admin/tenants", "{\"name\":\"" + name + "\"}");
    assertEquals(201, created.status(), created.text());
    JsonObject t = created.json();
    long id = t.getJsonNumber("tenant_id").longValue();
    assertEquals(name, t.getString("name"));
    assertEquals(0, t.getInt("credits"));

    Http.Reply dup =
        http.admin("POST", "/admin/tenants", "{\"name\":\"" + name.toUpperCase() + "\"}");
    assertEquals(409, dup.status());
    assertEquals("name_taken", dup.error());

    Http.Reply key =
        http.admin(
            "POST", "/admin/tenants/" + id + "/keys", "{\"name\":\"ci\",\"scopes\":[\"read\"]}");
    assertEquals(201, key.status(), key.text());
    String raw = key.json().getString("key");
    assertTrue(raw.matches("sov_live_[A-Za-z0-9]{40}"));

    // The raw key is shown once: listings carry only its prefix.
    Http.Reply list = http.admin("GET", "/admin/tenants/" + id + "/keys", null);
    assertEquals(200, list.status());
    assertFalse(list.text().contains(raw));
    assertEquals(raw.substring(0, 13), list.array().getJsonObject(0).getString("key_prefix"));
    assertEquals("[\"read\"]", list.array().getJsonObject(0).getJsonArray("scopes").toString());

    Http.Reply credits = http.admin("POST", "/admin/tenants/" + id + "/credits", "{\"cents\":250}");
    assertEquals(200, credits.status());
    assertEquals(250, credits.json().getInt("credits"));
    assertEquals(250, http.admin("GET", "/admin/tenants/" + id, null).json().getInt("credits"));
  }

  @Test
  void badOperatorInputIs4xx() {
    assertEquals("invalid_request", http.admin("POST", "/admin/tenants", "{").error());
    assertEquals(
        "invalid_request", http.admin("POST", "/admin/tenants", "{\"name\":\"\"}").error());
    assertEquals("invalid_request", http.admin("POST", "/admin/tenants", "[]").error());
    assertEquals(404, http.admin("GET", "/admin/tenants/999999999", null).status());
    assertEquals(404, http.admin("GET", "/admin/tenants/abc", null).status());
    long id = http.liveTenant(0, null, null).tenantId();
    assertEquals(
        400, http.admin("POST", "/admin/tenants/" + id + "/credits", "{\"cents\":-5}").status());
    assertEquals(
        400, http.admin("POST", "/admin/tenants/" + id + "/credits", "{\"cents\":1.5}").status());
    assertEquals(
        400,
        http.admin("POST", "/admin/tenants/" + id + "/keys", "{\"scopes\":[\"admin\"]}").status());
    assertEquals(
        400,
        http.admin("POST", "/admin/tenants/" + id + "/keys", "{\"expires_at\":\"tomorrow\"}")
            .status());
    assertEquals(
        404, http.admin("POST", "/admin/tenants/" + id + "/keys/999999/revoke", null).status());
  }

  @Test
  void healthReportsReadyWithTheSchemaApplied() {
    Http.Reply ready = http.health("/health/ready");
    assertEquals(200, ready.status(), ready.text());
    assertEquals("UP", ready.json().getString("status"));
    // Servers add checks of their own (WildFly: deployments, boot errors): find ours by name.
    JsonObject check =
        ready.json().getJsonArray("checks").getValuesAs(JsonObject.class).stream()
            .filter(c -> c.getString("name").equals("database"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no database check in " + ready.text()));
    assertEquals("UP", check.getString("status"));
    // Payara reports check data as strings, the others as JSON booleans.
    assertEquals("true", unquoted(check.getJsonObject("data").get("migrations-applied")));
    assertEquals("true", unquoted(check.getJsonObject("data").get("reachable")));
    assertTrue(ready.text().contains("\"row-sync\""), ready.text());
    assertEquals(200, http.health("/health/live").status());
  }

  private static String unquoted(JsonValue v) {
    return v instanceof JsonString s ? s.getString() : String.valueOf(v);
  }
}
