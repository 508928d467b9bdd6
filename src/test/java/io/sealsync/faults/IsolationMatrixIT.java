package io.sealsync.faults;

import static io.sealsync.rowsync.SyncClient.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.agentstate.ReplicationClient;
import io.sealsync.rowsync.SyncClient;
import io.sealsync.testsupport.AppServer;
import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.Jwts;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
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
 * Every route of both protocols and of the operator API, called by someone else than the owner of
 * the data: another tenant, another user, a revoked or expired key, a tampered ciphertext URL,
 * another user's session ids, a caller who is no operator. Nobody gets another's data, and the
 * answer is the one for an id that does not exist, so it does not even tell that the data exists;
 * except where the protocol gives a distinct answer (another user's session: 403 …_forbidden, the
 * same as for a session id nobody has).
 */
@ExtendWith(ArquillianExtension.class)
class IsolationMatrixIT {
  static final String AS = ReplicationClient.ENDPOINT;
  static final String SNAPSHOT = AS + "/v2/snapshot";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;

  int checks;

  /** The victim's agent-state data: blocks, snapshots, and the secret bytes in them. */
  record Victim(Http.LiveTenant tenant, String agent, byte[] secret, String ciphertextUrl) {}

  Victim victim(Http http) {
    Http.LiveTenant t = http.liveTenant(1000, null, null);
    byte[] secret = ("victim-secret-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    assertEquals(200, new ReplicationClient(http, t.key()).append(List.of(secret)).status());
    String agent = "agent-" + UUID.randomUUID();
    Http.Reply snap =
        http.post(
            SNAPSHOT,
            t.key(),
            "{\"agent_id\":\""
                + agent
                + "\",\"sequence_number\":0,\"parent_snapshot\":null,\"policy_hash\":\""
                + "0".repeat(64)
                + "\",\"client_payload_hash\":\""
                + "1".repeat(64)
                + "\",\"ciphertext_b64\":\""
                + Base64.getEncoder().encodeToString(secret)
                + "\",\"byte_size\":"
                + secret.length
                + ",\"timestamp\":\"2026-05-20T08:00:00.000Z\"}");
    assertEquals(200, snap.status(), snap.text());
    String url =
        http.get(SNAPSHOT + "/" + agent + "/latest", t.key()).json().getString("ciphertextUrl");
    return new Victim(t, agent, secret, url);
  }

  /** The agent-state reads of the victim's data, and of an agent nobody has. */
  static Map<String, String[]> agentStateReads(Victim v, String nobody) {
    Map<String, String[]> reads = new LinkedHashMap<>();
    reads.put("head", new String[] {AS + "/head", null});
    reads.put("replay", new String[] {AS + "/replay?since=-1", null});
    reads.put(
        "latest",
        new String[] {SNAPSHOT + "/" + v.agent() + "/latest", SNAPSHOT + "/" + nobody + "/latest"});
    reads.put(
        "at 0", new String[] {SNAPSHOT + "/" + v.agent() + "/0", SNAPSHOT + "/" + nobody + "/0"});
    reads.put(
        "lineage",
        new String[] {
          SNAPSHOT + "/" + v.agent() + "/lineage", SNAPSHOT + "/" + nobody + "/lineage"
        });
    return reads;
  }

  void assertNoLeak(Victim v, String who, Http.Reply r) {
    checks++;
    String text = r.text();
    assertFalse(text.contains(v.agent()) && !who.contains("own"), who + " sees the agent: " + text);
    assertFalse(
        text.contains(Base64.getEncoder().encodeToString(v.secret())), who + " sees the bytes");
    assertFalse(text.contains("\"ciphertextUrl\""), who + " gets a ciphertext URL: " + text);
  }

  void assertSame(String what, Http.Reply expected, Http.Reply actual) {
    checks++;
    assertEquals(expected.status(), actual.status(), what + ": " + actual.text());
    assertEquals(expected.text(), actual.text(), what);
  }

  @Test
  void agentStateDataStaysWithItsTenant() throws Exception {
    Http http = new Http(base);
    Victim v = victim(http);
    String nobody = "agent-" + UUID.randomUUID();
    Http.LiveTenant otherAccount = http.liveTenant(1000, null, null);
    Map<String, String> strangers =
        Map.of(
            "another project token", Http.newProjectToken(),
            "another account's key", otherAccount.key());
    for (Map.Entry<String, String> s : strangers.entrySet()) {
      for (Map.Entry<String, String[]> read : agentStateReads(v, nobody).entrySet()) {
        Http.Reply theirs = http.get(read.getValue()[0], s.getValue());
        assertNoLeak(v, s.getKey(), theirs);
        // The same answer as for data that does not exist: a fresh tenant's, or an unknown agent.
        Http.Reply none =
            read.getValue()[1] == null
                ? http.get(read.getValue()[0], Http.newProjectToken())
                : http.get(read.getValue()[1], s.getValue());
        assertSame(s.getKey() + " " + read.getKey(), none, theirs);
      }
      // Writing the victim's agent and sequence numbers writes the stranger's own (D3).
      assertEquals(
          200,
          new ReplicationClient(http, s.getValue())
              .append(List.of("stranger".getBytes(StandardCharsets.UTF_8)))
              .status());
      checks++;
    }
    // The victim's data is untouched by all that.
    Http.Reply replay = http.get(AS + "/replay?since=-1", v.tenant().key());
    assertEquals(1, replay.json().getInt("count"));
    assertTrue(replay.text().contains(Base64.getEncoder().encodeToString(v.secret())));

    // The victim's own keys, revoked or expired: every route, the victim's data included, answers
    // the key's state and nothing else; authentication comes before routing.
    Http.Reply expired =
        http.admin(
            "POST",
            "/admin/tenants/" + v.tenant().tenantId() + "/keys",
            "{\"name\":\"old\",\"expires_at\":\"2020-01-01T00:00:00Z\"}");
    assertEquals(201, expired.status(), expired.text());
    Http.Reply spare =
        http.admin("POST", "/admin/tenants/" + v.tenant().tenantId() + "/keys", "{\"name\":\"x\"}");
    assertEquals(
        200,
        http.admin(
                "POST",
                "/admin/tenants/"
                    + v.tenant().tenantId()
                    + "/keys/"
                    + spare.json().getJsonNumber("id").longValue()
                    + "/revoke",
                null)
            .status());
    Map<String, String> dead =
        Map.of(
            "{\"error\":\"api_key_expired\"}", expired.json().getString("key"),
            "{\"error\":\"api_key_revoked\"}", spare.json().getString("key"),
            "{\"error\":\"invalid_api_key\"}",
                "sov_live_" + UUID.randomUUID().toString().replace("-", ""));
    List<String[]> routes = new ArrayList<>();
    for (String[] read : agentStateReads(v, nobody).values()) {
      routes.add(new String[] {"GET", read[0]});
    }
    routes.add(new String[] {"POST", AS + "/replicate"});
    routes.add(new String[] {"POST", SNAPSHOT});
    routes.add(new String[] {"GET", AS + "/no-such-route"});
    for (Map.Entry<String, String> key : dead.entrySet()) {
      for (String[] route : routes) {
        Http.Reply r =
            http.send(
                route[0],
                route[1],
                "Bearer " + key.getValue(),
                route[0].equals("POST") ? "{}".getBytes(StandardCharsets.UTF_8) : null);
        checks++;
        assertEquals(401, r.status(), route[1]);
        assertEquals(key.getKey(), r.text(), route[1]);
      }
    }
    // A read-only key cannot write, and sees its own tenant only.
    Http.Reply readOnly =
        http.admin(
            "POST",
            "/admin/tenants/" + otherAccount.tenantId() + "/keys",
            "{\"name\":\"ro\",\"scopes\":[\"read\"]}");
    Http.Reply denied = http.post(AS + "/replicate", readOnly.json().getString("key"), "{}");
    checks++;
    assertEquals(403, denied.status());
    assertEquals("{\"error\":\"insufficient_scope\"}", denied.text());

    // Ciphertext URLs: a capability for one snapshot (the SDK fetches it without credentials).
    // Altered in any way, it answers exactly as a made-up one does, whatever it points at.
    HttpClient plain = HttpClient.newHttpClient();
    HttpResponse<byte[]> own =
        plain.send(
            HttpRequest.newBuilder(URI.create(v.ciphertextUrl())).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, own.statusCode());
    URI url = URI.create(v.ciphertextUrl());
    String path = url.getPath();
    String snapshotId = path.substring(path.lastIndexOf('/') + 1);
    String query = url.getRawQuery();
    String signature = query.replaceAll(".*signature=", "");
    String forged =
        signature.substring(0, 10)
            + (signature.charAt(10) == 'a' ? 'b' : 'a')
            + signature.substring(11);
    String madeUp = UUID.randomUUID().toString();
    List<String> altered =
        List.of(
            path + "?" + query.replace(signature, forged),
            path + "?" + query.replaceAll("expires=[0-9]+", "expires=9999999999"),
            path,
            path.replace(snapshotId, madeUp) + "?" + query);
    Http.Reply reference =
        http.get(
            path.replace(snapshotId, madeUp) + "?expires=9999999999&signature=" + forged, null);
    assertEquals(403, reference.status());
    for (String a : altered) {
      assertSame("ciphertext " + a, reference, http.get(a, null));
    }
    System.out.printf(
        "[faults] IsolationMatrixIT: agent-state: %d checks, no tenant saw another's data%n",
        checks);
  }

  @Test
  void rowSyncDataStaysWithItsUser() throws Exception {
    Http http = new Http(base);
    SyncClient owner = new SyncClient(http, "owner-" + UUID.randomUUID(), "laptop");
    assertEquals(200, owner.connect(false).status());
    owner.push(1, List.of(tag("secret-" + owner.user, "INSERT", 0, "red")));
    String pushId = owner.create(2, 2, null).json().getString("push_id");
    assertEquals(
        200,
        owner.chunk(pushId, 0, List.of(tag("staged-" + owner.user, "INSERT", 0, null))).status());
    Http.Reply snapshot = owner.send("POST", "/sync/snapshot-sessions", null);
    assertEquals(200, snapshot.status(), snapshot.text());
    String snapshotId = snapshot.json().getString("snapshot_id");

    SyncClient stranger = new SyncClient(http, "stranger-" + UUID.randomUUID(), "phone");
    assertEquals(200, stranger.connect(false).status());
    String random = UUID.randomUUID().toString();
    Map<String, String[]> sessionRoutes = new LinkedHashMap<>();
    sessionRoutes.put(
        "push chunk",
        new String[] {
          "POST",
          "/sync/push-sessions/%s/chunks",
          "{\"start_row_ordinal\":1,\"rows\":[" + tag("x", "INSERT", 0, null) + "]}"
        });
    sessionRoutes.put("push commit", new String[] {"POST", "/sync/push-sessions/%s/commit", null});
    sessionRoutes.put("push delete", new String[] {"DELETE", "/sync/push-sessions/%s", null});
    sessionRoutes.put(
        "snapshot chunk",
        new String[] {"GET", "/sync/snapshot-sessions/%s?after_row_ordinal=0&max_rows=10", null});
    sessionRoutes.put(
        "snapshot delete", new String[] {"DELETE", "/sync/snapshot-sessions/%s", null});
    for (Map.Entry<String, String[]> route : sessionRoutes.entrySet()) {
      String[] r = route.getValue();
      String id = route.getKey().startsWith("push") ? pushId : snapshotId;
      // The protocol's distinct answer for another user's session (rowsync.md §8.2, §14.3); its
      // ids are random UUIDs, so the answer tells nothing a caller could not guess.
      Http.Reply theirs = stranger.send(r[0], r[1].formatted(id), r[2]);
      checks++;
      assertEquals(403, theirs.status(), route.getKey() + ": " + theirs.text());
      assertTrue(theirs.error().endsWith("_session_forbidden"), theirs.text());
      assertFalse(theirs.text().contains(owner.user), theirs.text());
      assertFalse(theirs.text().contains("staged"), theirs.text());
      Http.Reply none = stranger.send(r[0], r[1].formatted(random), r[2]);
      checks++;
      assertEquals(404, none.status(), route.getKey() + ": " + none.text());
      assertTrue(none.error().endsWith("_session_not_found"), none.text());
    }
    // The owner's sessions are untouched by the stranger's attempts.
    assertEquals(
        200,
        owner.chunk(pushId, 1, List.of(tag("staged2-" + owner.user, "INSERT", 0, null))).status());
    assertEquals(200, owner.commit(pushId).status());
    assertEquals(
        200,
        owner
            .send(
                "GET",
                "/sync/snapshot-sessions/" + snapshotId + "?after_row_ordinal=0&max_rows=10",
                null)
            .status());

    // Reads are the caller's own scope: the owner's bundles never show.
    Http.Reply pull = stranger.send("GET", "/sync/pull?after_bundle_seq=0", null);
    checks++;
    assertEquals(200, pull.status());
    assertEquals(0, pull.json().getJsonArray("bundles").size());
    assertSame("another user's committed bundle", stranger.rows(999, null), stranger.rows(1, null));
    Http.Reply ownSnapshot = stranger.send("POST", "/sync/snapshot-sessions", null);
    checks++;
    assertEquals(0, ownSnapshot.json().getJsonNumber("row_count").longValue(), ownSnapshot.text());
    assertFalse(ownSnapshot.text().contains(owner.user));

    // Tokens that are not the user's: another issuer's, an expired one, an agent-state key.
    for (String bad :
        List.of(
            Jwts.sign(owner.user, "another-issuer", Jwts.SHARED_KEY),
            Jwts.sign(owner.user, Jwts.ISSUER, "another-key-another-key-another-key-another-key"),
            expiredToken(owner.user),
            "sov_live_" + UUID.randomUUID().toString().replace("-", ""))) {
      for (String path :
          List.of(
              "/sync/pull?after_bundle_seq=0",
              "/sync/committed-bundles/1/rows",
              "/sync/watch",
              "/sync/capabilities")) {
        Http.Reply r = owner.send("GET", path, null, "Bearer " + bad, "laptop");
        checks++;
        assertEquals(401, r.status(), path);
        assertFalse(r.text().contains("secret"), path);
      }
    }
    System.out.printf(
        "[faults] IsolationMatrixIT: row sync: %d checks, no user saw another's data%n", checks);
  }

  static String expiredToken(String user) throws Exception {
    org.jose4j.jwt.JwtClaims claims = new org.jose4j.jwt.JwtClaims();
    claims.setIssuer(Jwts.ISSUER);
    claims.setSubject(user);
    claims.setIssuedAt(org.jose4j.jwt.NumericDate.fromSeconds(1_600_000_000L));
    claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(1_600_000_600L));
    org.jose4j.jws.JsonWebSignature jws = new org.jose4j.jws.JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setAlgorithmHeaderValue(org.jose4j.jws.AlgorithmIdentifiers.HMAC_SHA256);
    jws.setKey(new org.jose4j.keys.HmacKey(Jwts.SHARED_KEY.getBytes(StandardCharsets.UTF_8)));
    return jws.getCompactSerialization();
  }

  @Test
  void theOperatorApiAnswersOperatorsOnly() {
    Http http = new Http(base);
    Http.LiveTenant t = http.liveTenant(1000, null, null);
    long missing = t.tenantId() + 1_000_000_000L;
    // Each route for an existing tenant (%1$d) and a missing one.
    List<String[]> routes =
        List.of(
            new String[] {"GET", "/admin/tenants/%d", null},
            new String[] {"GET", "/admin/tenants/%d/keys", null},
            new String[] {"GET", "/admin/tenants/%d/ledger", null},
            new String[] {"POST", "/admin/tenants/%d/keys", "{\"name\":\"stolen\"}"},
            new String[] {"POST", "/admin/tenants/%d/keys/" + t.keyId() + "/revoke", null},
            new String[] {"POST", "/admin/tenants/%d/credits", "{\"cents\":100}"},
            new String[] {"POST", "/admin/tenants", "{\"name\":\"intruder\"}"},
            new String[] {
              "POST",
              "/admin/rowsync/users/written-%d/writes",
              "{\"writer_id\":\"x\",\"rows\":[" + tag("x", "INSERT", 0, null) + "]}"
            });
    Map<String, String> principals = new LinkedHashMap<>();
    principals.put("anonymous", null);
    principals.put("a wrong password", Prober.basic(Http.ADMIN_USER, "not-the-password"));
    principals.put("an unknown operator", Prober.basic("mallory", Http.ADMIN_PASSWORD));
    principals.put(
        "a signed-in user without the operator role",
        Prober.basic(AppServer.VIEWER_USER, AppServer.VIEWER_PASSWORD));
    principals.put("a tenant's live key", "Bearer " + t.key());
    principals.put("a row-sync user", "Bearer " + Jwts.forUser(Http.ADMIN_USER));
    for (Map.Entry<String, String> p : principals.entrySet()) {
      for (String[] route : routes) {
        Http.Reply existing = adminCall(http, p.getValue(), route, t.tenantId());
        Http.Reply none = adminCall(http, p.getValue(), route, missing);
        checks++;
        String what = p.getKey() + " " + route[0] + " " + route[1];
        assertTrue(
            existing.status() == 401 || existing.status() == 403, what + ": " + existing.status());
        assertEquals(
            none.status(), existing.status(), what + ": existing and missing tenants alike");
        assertFalse(existing.text().contains("sov_live_"), what);
        assertFalse(existing.text().contains("\"credits\""), what);
      }
    }
    // Nothing changed: no key issued or revoked, no credits added.
    Http.Reply keys = http.admin("GET", "/admin/tenants/" + t.tenantId() + "/keys", null);
    assertEquals(1, keys.array().size(), keys.text());
    assertTrue(keys.array().getJsonObject(0).isNull("revoked_at"), keys.text());
    assertEquals(
        1000, http.admin("GET", "/admin/tenants/" + t.tenantId(), null).json().getInt("credits"));
    System.out.printf(
        "[faults] IsolationMatrixIT: operator API: %d checks, no caller without the operator role"
            + " got an answer or changed anything%n",
        checks);
  }

  static Http.Reply adminCall(Http http, String authorization, String[] route, long tenantId) {
    return http.send(
        route[0],
        route[1].formatted(tenantId),
        authorization,
        route[2] == null ? null : route[2].getBytes(StandardCharsets.UTF_8));
  }
}
