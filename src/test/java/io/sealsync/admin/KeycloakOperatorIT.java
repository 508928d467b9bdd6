package io.sealsync.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.Keycloak;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator API with the identity provider's bearer tokens: service accounts of the test run's
 * Keycloak (client credentials), whose realm role {@code sealsync-operator} the test servers map to
 * {@code sealsync-admin} (pom.xml: {@code sealsync.admin.jwt.*}, audience {@code
 * sealsync-admin-api}, roles in {@code realm_access.roles}).
 */
@ExtendWith(ArquillianExtension.class)
class KeycloakOperatorIT {
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

  static String operator() {
    return Keycloak.serviceToken("localhost", "sealsync-ops", "sealsync-ops-test-secret");
  }

  Http.Reply send(String method, String path, String token, String json) {
    return http.send(
        method,
        path,
        "Bearer " + token,
        json == null ? null : json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aServiceAccountWithTheOperatorRoleUsesTheOperatorApi() {
    String token = operator();
    assertTrue(
        Keycloak.claims(token)
            .getJsonObject("realm_access")
            .toString()
            .contains("sealsync-operator"),
        Keycloak.claims(token).toString());
    String name = "kc-" + UUID.randomUUID();
    Http.Reply created = send("POST", "/admin/tenants", token, "{\"name\":\"" + name + "\"}");
    assertEquals(201, created.status(), created.text());
    long id = created.json().getJsonNumber("tenant_id").longValue();
    Http.Reply read = send("GET", "/admin/tenants/" + id, token, null);
    assertEquals(200, read.status(), read.text());
    assertEquals(name, read.json().getString("name"));
    // The audit names the token's caller (sealsync.admin.jwt.user-claim, here sub).
    String sub = Keycloak.claims(token).getString("sub");
    Http.Reply audit = send("GET", "/admin/audit?action=tenant.create&target=" + name, token, null);
    assertEquals(200, audit.status(), audit.text());
    assertEquals(
        sub, audit.json().getJsonArray("items").getJsonObject(0).getString("actor"), audit.text());
  }

  @Test
  void aServiceAccountWithoutTheRoleIsForbidden() {
    String token =
        Keycloak.serviceToken("localhost", "sealsync-reader", "sealsync-reader-test-secret");
    Http.Reply r = send("GET", "/admin/tenants/1", token, null);
    assertEquals(403, r.status(), r.text());
    assertEquals("application/json", r.contentType());
    assertEquals("forbidden", r.error());
    Http.Reply write = send("POST", "/admin/tenants", token, "{\"name\":\"never\"}");
    assertEquals(403, write.status(), write.text());
  }

  @Test
  void tokensNotMeantForTheOperatorApiAreUnauthorized() {
    // A row-sync user's token: valid in the realm, but for the audience sealsync-sync.
    String user = Keycloak.passwordToken("sealsync-app", "kc-alice", "alice-password");
    // The operator's service account asked through another host: another issuer.
    String foreign = Keycloak.serviceToken("127.0.0.1", "sealsync-ops", "sealsync-ops-test-secret");
    for (String token : List.of(user, foreign, operator() + "x")) {
      HttpResponse<byte[]> r = http.sendWithHeaders("GET", "/admin/tenants/1", "Bearer " + token);
      assertEquals(401, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
      assertTrue(
          r.headers().allValues("WWW-Authenticate").stream().anyMatch(h -> h.startsWith("Bearer")),
          r.headers().map().toString());
      assertTrue(
          new String(r.body(), StandardCharsets.UTF_8).contains("\"error\":\"invalid_token\""),
          new String(r.body(), StandardCharsets.UTF_8));
    }
  }
}
