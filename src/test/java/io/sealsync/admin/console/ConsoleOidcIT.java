package io.sealsync.admin.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.Keycloak;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The console's OpenID Connect sign-in against the test run's Keycloak, over HTTP, on every server:
 * the redirect to the provider with PKCE, Keycloak's own login form, the callback's rules, the
 * session as an operator credential for the console's calls only with {@code X-Sealsync-Request},
 * the audit's actor, and the provider's logout. The test servers set {@code
 * sealsync.console.oidc.issuer} and {@code .client-id=sealsync-console} (pom.xml).
 */
@ExtendWith(ArquillianExtension.class)
class ConsoleOidcIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;
  Http http;

  @BeforeAll
  static void keycloak() throws InterruptedException {
    Keycloak.awaitReady();
  }

  @BeforeEach
  void setUp() {
    http = new Http(base);
  }

  private static Map<String, String> query(String url) {
    return Arrays.stream(URI.create(url).getRawQuery().split("&"))
        .map(p -> p.split("=", 2))
        .collect(
            Collectors.toMap(
                p -> p[0],
                p -> URLDecoder.decode(p.length > 1 ? p[1] : "", StandardCharsets.UTF_8)));
  }

  @Test
  void anOperatorSignsInThroughKeycloakAndTheSessionServesTheConsolesCalls() {
    ConsoleSession s = new ConsoleSession(http.base());
    HttpResponse<String> anonymous = s.get("/console/");
    assertEquals(302, anonymous.statusCode());
    assertTrue(ConsoleSession.location(anonymous).endsWith("/console/login"));

    HttpResponse<String> login = s.get("/console/login");
    assertEquals(302, login.statusCode(), login.body());
    String authorization = ConsoleSession.location(login);
    assertTrue(
        authorization.startsWith(Keycloak.issuer() + "/protocol/openid-connect/auth?"),
        authorization);
    Map<String, String> q = query(authorization);
    assertEquals("code", q.get("response_type"));
    assertEquals("sealsync-console", q.get("client_id"));
    assertEquals(http.base() + "/console/callback", q.get("redirect_uri"));
    assertEquals("S256", q.get("code_challenge_method"));
    assertTrue(q.get("code_challenge").matches("[A-Za-z0-9_-]{43}"), q.toString());
    assertTrue(q.get("state").length() >= 43 && q.get("nonce").length() >= 43, q.toString());
    assertTrue((" " + q.get("scope") + " ").contains(" openid "), q.get("scope"));
    // The session cookie: not for scripts, not for other sites' requests (plain HTTP in
    // development).
    String cookie =
        login.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("JSESSIONID="))
            .findFirst()
            .orElseThrow(() -> new AssertionError(login.headers().map().toString()));
    assertTrue(cookie.toLowerCase().contains("httponly"), cookie);
    assertTrue(cookie.toLowerCase().contains("samesite=lax"), cookie);
    String before = s.sessionId();

    String callback = s.keycloakLogin(authorization, "kc-operator", "operator-password");
    assertTrue(callback.startsWith(http.base() + "/console/callback?"), callback);
    HttpResponse<String> signedIn = s.get(callback);
    assertEquals(302, signedIn.statusCode(), signedIn.body());
    assertTrue(ConsoleSession.location(signedIn).endsWith("/console/"));
    assertNotEquals(before, s.sessionId(), "a new session id at sign-in");

    HttpResponse<String> overview = s.get("/console/");
    assertEquals(200, overview.statusCode());
    assertTrue(overview.body().contains("<main id=\"overview\""), overview.body());

    // The console's calls: with the header, the session is the operator's credential ...
    HttpResponse<String> api = s.api("GET", "/admin/overview", null, true);
    assertEquals(200, api.statusCode(), api.body());
    // ... without it, it is not (a foreign page could make the browser send the cookie).
    HttpResponse<String> cookieOnly = s.api("GET", "/admin/overview", null, false);
    assertEquals(401, cookieOnly.statusCode(), cookieOnly.body());
    String name = "oidc-" + UUID.randomUUID();
    String body = "{\"name\":\"" + name + "\"}";
    int forged = s.api("POST", "/admin/tenants", body, false).statusCode();
    assertTrue(forged == 401 || forged == 403, "a write with the cookie alone: " + forged);
    assertEquals(
        0,
        http.admin("GET", "/admin/tenants?q=" + name, null)
            .json()
            .getJsonNumber("total")
            .longValue(),
        "the refused write did not happen");
    HttpResponse<String> created = s.api("POST", "/admin/tenants", body, true);
    assertEquals(201, created.statusCode(), created.body());
    // The audit names the operator as the operator API's bearer tokens do (the token's sub).
    String sub =
        Keycloak.claims(Keycloak.passwordToken("sealsync-app", "kc-operator", "operator-password"))
            .getString("sub");
    JsonObject audit =
        http.admin("GET", "/admin/audit?action=tenant.create&target=" + name, null).json();
    assertEquals(1, audit.getJsonArray("items").size(), audit.toString());
    assertEquals(
        sub, audit.getJsonArray("items").getJsonObject(0).getString("actor"), audit.toString());

    // Sign out: the session ends here and at Keycloak, which returns to the signed-out page.
    HttpResponse<String> out = s.get("/console/logout");
    assertEquals(302, out.statusCode(), out.body());
    String endSession = ConsoleSession.location(out);
    assertTrue(endSession.startsWith(Keycloak.issuer() + "/protocol/openid-connect/logout?"));
    Map<String, String> lq = query(endSession);
    assertNotNull(lq.get("id_token_hint"));
    assertEquals(http.base() + "/console/signed-out.html", lq.get("post_logout_redirect_uri"));
    HttpResponse<String> atKeycloak = s.get(endSession);
    assertEquals(302, atKeycloak.statusCode(), atKeycloak.body());
    assertEquals(http.base() + "/console/signed-out.html", ConsoleSession.location(atKeycloak));
    HttpResponse<String> signedOut = s.get(ConsoleSession.location(atKeycloak));
    assertEquals(200, signedOut.statusCode());
    assertTrue(signedOut.body().contains("Signed out"));
    assertEquals(401, s.api("GET", "/admin/overview", null, true).statusCode());
    assertEquals(302, s.get("/console/").statusCode());
    // Keycloak forgot the sign-in too: its login form is asked for again.
    HttpResponse<String> again = s.get(s.startLogin());
    assertEquals(200, again.statusCode());
    assertTrue(again.body().contains("kc-form-login"));
  }

  @Test
  void aCallbackWithAnotherStateSignsNobodyIn() {
    ConsoleSession s = new ConsoleSession(http.base());
    String callback = s.keycloakLogin(s.startLogin(), "kc-operator", "operator-password");
    Map<String, String> q = query(callback);
    String forged =
        http.base()
            + "/console/callback?state=not-"
            + q.get("state")
            + "&code="
            + URLEncoder.encode(q.get("code"), StandardCharsets.UTF_8);
    HttpResponse<String> refused = s.get(forged);
    assertEquals(400, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("does not belong"), refused.body());
    assertEquals(401, s.api("GET", "/admin/overview", null, true).statusCode());
    assertEquals(302, s.get("/console/").statusCode(), "not signed in");
    // The login was used up by the refused answer: its right state no longer works either.
    assertEquals(400, s.get(callback).statusCode());
    assertEquals(401, s.api("GET", "/admin/overview", null, true).statusCode());

    // A callback in a browser that started no sign-in.
    ConsoleSession other = new ConsoleSession(http.base());
    assertEquals(400, other.get(callback).statusCode());
    assertEquals(401, other.api("GET", "/admin/overview", null, true).statusCode());
  }

  @Test
  void aUserWithoutTheOperatorRoleIsRefusedAndNotSignedIn() {
    ConsoleSession s = new ConsoleSession(http.base());
    HttpResponse<String> refused = s.signIn("kc-alice", "alice-password");
    assertEquals(403, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("operator role"), refused.body());
    assertEquals(401, s.api("GET", "/admin/overview", null, true).statusCode());
    assertEquals(302, s.get("/console/").statusCode());
  }

  @Test
  void basicCredentialsStillOpenTheConsoleBesideTheProvider() {
    ConsoleSession s = new ConsoleSession(http.base());
    HttpResponse<String> page = s.get("/console/", "Authorization", Operators.ADMIN);
    assertEquals(200, page.statusCode());
    assertEquals(403, s.get("/console/", "Authorization", Operators.VIEWER).statusCode());
    HttpResponse<String> wrong =
        s.get("/console/", "Authorization", Operators.basic("admin", "wrong-password"));
    assertEquals(401, wrong.statusCode());
    assertFalse(wrong.body().contains("<main id=\"overview\""));
  }
}
