package io.sealsync.rowsync.api;

import static io.sealsync.rowsync.SyncClient.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.rowsync.SyncClient;
import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.Keycloak;
import io.sealsync.testsupport.TestDatabase;
import jakarta.json.JsonObject;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Row sync with the tokens of a real identity provider: the test run's Keycloak, whose realm {@code
 * sealsync} the test servers trust beside the development key (pom.xml: {@code
 * sealsync.jwt.provider.keycloak.*}, audience {@code sealsync-sync}, user id {@code
 * preferred_username}).
 */
@ExtendWith(ArquillianExtension.class)
class KeycloakRowSyncIT {
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

  static String alice() {
    return Keycloak.passwordToken("sealsync-app", "kc-alice", "alice-password");
  }

  static String bob() {
    return Keycloak.passwordToken("sealsync-app", "kc-bob", "bob-password");
  }

  Http.Reply capabilities(String token) {
    return new SyncClient(http, "kc", "device-" + UUID.randomUUID(), token)
        .send("GET", "/sync/capabilities", null);
  }

  /** A refusal of host authentication (rowsync.md §3): 401, text/plain, a Bearer challenge. */
  void assertRefused(String token) {
    Http.Reply r = capabilities(token);
    assertEquals(401, r.status(), r.text());
    assertTrue(r.contentType().startsWith("text/plain"), r.contentType());
    assertEquals("Invalid token", r.text());
  }

  @Test
  void twoUsersOfTheRealmPushAndPullOnlyTheirOwnRows() throws Exception {
    String aliceTag = "kc-" + UUID.randomUUID();
    String bobTag = "kc-" + UUID.randomUUID();
    SyncClient aliceLaptop =
        new SyncClient(http, "kc-alice", "laptop-" + UUID.randomUUID(), alice());
    SyncClient alicePhone = new SyncClient(http, "kc-alice", "phone-" + UUID.randomUUID(), alice());
    SyncClient bobLaptop = new SyncClient(http, "kc-bob", "laptop-" + UUID.randomUUID(), bob());
    for (SyncClient c : List.of(aliceLaptop, alicePhone, bobLaptop)) {
      Http.Reply connected = c.connect(false);
      assertEquals(200, connected.status(), connected.text());
    }
    JsonObject alicePushed = aliceLaptop.push(1, List.of(tag(aliceTag, "INSERT", 0, "green")));
    JsonObject bobPushed = bobLaptop.push(1, List.of(tag(bobTag, "INSERT", 0, "red")));

    // Each user's scope is the token's preferred_username, never the other user's.
    try (Connection db = TestDatabase.connect();
        PreparedStatement ps =
            db.prepareStatement("SELECT _sync_scope_id FROM demo.tags WHERE name = ?")) {
      assertEquals(List.of("kc-alice"), scopes(ps, aliceTag));
      assertEquals(List.of("kc-bob"), scopes(ps, bobTag));
    }

    JsonObject page = pull(alicePhone);
    List<String> seen = tagNames(page);
    assertTrue(seen.contains(aliceTag), page.toString());
    assertTrue(!seen.contains(bobTag), page.toString());
    assertTrue(
        page.getJsonArray("bundles").getValuesAs(JsonObject.class).stream()
            .anyMatch(b -> b.getString("bundle_hash").equals(alicePushed.getString("bundle_hash"))),
        page.toString());

    JsonObject bobPage = pull(new SyncClient(http, "kc-bob", "tablet-" + UUID.randomUUID(), bob()));
    List<String> bobSeen = tagNames(bobPage);
    assertTrue(bobSeen.contains(bobTag), bobPage.toString());
    assertTrue(!bobSeen.contains(aliceTag), bobPage.toString());
    assertEquals(
        bobPushed.getString("bundle_hash"),
        bobPage
            .getJsonArray("bundles")
            .getJsonObject(bobPage.getJsonArray("bundles").size() - 1)
            .getString("bundle_hash"));
  }

  private static List<String> scopes(PreparedStatement ps, String tag) throws Exception {
    ps.setString(1, tag);
    List<String> scopes = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        scopes.add(rs.getString(1));
      }
    }
    return scopes;
  }

  private static JsonObject pull(SyncClient c) {
    Http.Reply r = c.send("GET", "/sync/pull?after_bundle_seq=0", null);
    assertEquals(200, r.status(), r.text());
    return r.json();
  }

  private static List<String> tagNames(JsonObject page) {
    List<String> names = new ArrayList<>();
    for (JsonObject bundle : page.getJsonArray("bundles").getValuesAs(JsonObject.class)) {
      for (JsonObject row : bundle.getJsonArray("rows").getValuesAs(JsonObject.class)) {
        names.add(row.getJsonObject("key").getString("name"));
      }
    }
    return names;
  }

  @Test
  void aTokenForAnotherAudienceIsRefused() {
    assertEquals(200, capabilities(alice()).status());
    String other = Keycloak.passwordToken("other-app", "kc-alice", "alice-password");
    assertTrue(
        !Keycloak.claims(other).toString().contains("sealsync-sync"),
        "the realm gave other-app the audience sealsync-sync: " + Keycloak.claims(other));
    assertRefused(other);
  }

  @Test
  void aTokenOfAnotherIssuerIsRefused() {
    // Signed by the same realm key, but Keycloak names the host it was asked in iss.
    String foreign =
        Keycloak.passwordToken("127.0.0.1", "sealsync-app", "kc-alice", "alice-password");
    assertEquals(Keycloak.issuer("127.0.0.1"), Keycloak.claims(foreign).getString("iss"));
    assertRefused(foreign);
  }

  @Test
  void anExpiredTokenIsRefused() throws Exception {
    // sealsync-app-short issues tokens that live 5 s; the test servers allow 1 s of clock skew.
    String token = Keycloak.passwordToken("sealsync-app-short", "kc-alice", "alice-password");
    long exp = Keycloak.claims(token).getJsonNumber("exp").longValue();
    long iat = Keycloak.claims(token).getJsonNumber("iat").longValue();
    assertTrue(exp - iat <= 5, "the realm's short-lived client issued a token for " + (exp - iat));
    assertEquals(200, capabilities(token).status());
    long wait = (exp + 3) * 1000 - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
    assertRefused(token);
  }

  @Test
  void aTokenSignedByAKeyTheRealmDoesNotHaveIsRefused() throws Exception {
    JsonObject real = Keycloak.claims(alice());
    PublicJsonWebKey foreign = RsaJwkGenerator.generateJwk(2048);
    // The same claims as a real token, signed by a stranger: once with a key id the realm does
    // not know (the server fetches the key set again, and still finds none), once with the id of
    // the realm's own key.
    for (String kid :
        List.of("not-a-key-of-the-realm", Keycloak.header(alice()).getString("kid"))) {
      JwtClaims claims = JwtClaims.parse(real.toString());
      claims.setExpirationTimeMinutesInTheFuture(5);
      JsonWebSignature jws = new JsonWebSignature();
      jws.setPayload(claims.toJson());
      jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
      jws.setKeyIdHeaderValue(kid);
      jws.setKey(foreign.getPrivateKey());
      assertRefused(jws.getCompactSerialization());
    }
  }

  @Test
  void aKeyRotationInTheRealmIsFollowedWithoutARestart() {
    String before = bob();
    assertEquals(200, capabilities(before).status());
    String oldKid = Keycloak.rotateSigningKey();
    assertEquals(oldKid, Keycloak.header(before).getString("kid"));

    String after = bob();
    assertNotEquals(oldKid, Keycloak.header(after).getString("kid"));
    Http.Reply r = capabilities(after);
    assertEquals(200, r.status(), r.text());
    // The disabled key left the realm's key set, which the server has fetched again.
    assertRefused(before);
  }
}
