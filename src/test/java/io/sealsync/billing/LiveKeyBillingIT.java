package io.sealsync.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.Http;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URL;
import java.time.Instant;
import java.util.Base64;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Live API keys: authentication, scopes, per-byte debits and the ledger, over HTTP. */
@ExtendWith(ArquillianExtension.class)
class LiveKeyBillingIT {
  static final String SNAPSHOT = "/functions/v1/v2-agent-state/v2/snapshot";

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

  static String snapshot(String agent, long seq, int size) {
    return "{\"agent_id\":\""
        + agent
        + "\",\"sequence_number\":"
        + seq
        + ",\"parent_snapshot\":"
        + (seq == 0 ? "null" : "\"parent\"")
        + ",\"policy_hash\":\""
        + "1".repeat(64)
        + "\",\"client_payload_hash\":\""
        + String.format("%064x", seq + 1)
        + "\",\"ciphertext_b64\":\""
        + Base64.getEncoder().encodeToString(new byte[size])
        + "\",\"byte_size\":"
        + size
        + ",\"timestamp\":\"t\"}";
  }

  JsonObject tenant(long id) {
    return http.admin("GET", "/admin/tenants/" + id, null).json();
  }

  JsonArray ledger(long id) {
    return http.admin("GET", "/admin/tenants/" + id + "/ledger", null).array();
  }

  @Test
  void snapshotsAreChargedPerByteWithOneLedgerRowEach() {
    Http.LiveTenant t = http.liveTenant(100, null, null);
    // 1024 bytes cost 47 milli-cents; 4096 bytes 185.
    Http.Reply first = http.post(SNAPSHOT, t.key(), snapshot("bill", 0, 1024));
    assertEquals(200, first.status(), first.text());
    assertEquals(47, first.json().getInt("cost_milli"));
    assertEquals(200, http.post(SNAPSHOT, t.key(), snapshot("bill", 1, 4096)).status());
    assertEquals(200, http.post(SNAPSHOT, t.key(), snapshot("bill", 2, 1024)).status());

    // 47 + 185 + 47 = 279 milli-cents owed: below one cent, so no whole cent is burned yet.
    JsonObject balance = tenant(t.tenantId());
    assertEquals(100, balance.getJsonNumber("credits").longValue());
    assertEquals(279, balance.getInt("credits_milli"));
    JsonArray rows = ledger(t.tenantId());
    assertEquals(4, rows.size(), rows.toString());
    assertEquals(-47, rows.getJsonObject(0).getJsonNumber("delta_milli").longValue());
    assertEquals(-185, rows.getJsonObject(1).getJsonNumber("delta_milli").longValue());
    assertEquals(-47, rows.getJsonObject(2).getJsonNumber("delta_milli").longValue());
    assertEquals(100_000, rows.getJsonObject(3).getJsonNumber("delta_milli").longValue());
    assertEquals("snapshot", rows.getJsonObject(0).getString("reason"));
    assertEquals("deposit", rows.getJsonObject(3).getString("reason"));

    // An idempotent retry is not charged again.
    assertEquals(200, http.post(SNAPSHOT, t.key(), snapshot("bill", 2, 1024)).status());
    assertEquals(4, ledger(t.tenantId()).size());
  }

  @Test
  void insufficientCreditsWritesNothing() {
    Http.LiveTenant t = http.liveTenant(0, null, null);
    // 262 144 bytes cost 11 797 milli-cents; the account has no credits.
    Http.Reply r = http.post(SNAPSHOT, t.key(), snapshot("poor", 0, 262_144));
    assertEquals(402, r.status());
    assertEquals("{\"error\":\"insufficient_credits\"}", r.text());
    assertEquals("no_snapshots_for_agent", http.get(SNAPSHOT + "/poor/latest", t.key()).error());
    assertEquals(0, ledger(t.tenantId()).size());
    assertEquals(0, tenant(t.tenantId()).getInt("credits_milli"));

    // Up to 999 milli-cents of debt are allowed without credits (the reference's arithmetic).
    Http.Reply small = http.post(SNAPSHOT, t.key(), snapshot("poor", 0, 1024));
    assertEquals(200, small.status());
    assertEquals(47, tenant(t.tenantId()).getInt("credits_milli"));
    assertEquals(1, ledger(t.tenantId()).size());
  }

  @Test
  void theBalanceFollowsTheSpecsArithmetic() {
    Http.LiveTenant t = http.liveTenant(12, null, null);
    // 65 536 bytes cost 2950 milli-cents. From 12 cents: (10, 950), (7, 900), (4, 850), (1, 800).
    for (int seq = 0; seq < 4; seq++) {
      assertEquals(200, http.post(SNAPSHOT, t.key(), snapshot("arith", seq, 65_536)).status());
    }
    JsonObject b = tenant(t.tenantId());
    assertEquals(1, b.getJsonNumber("credits").longValue());
    assertEquals(800, b.getInt("credits_milli"));
    // The fifth would burn 3 cents of the 1 left: refused, and the balance stays.
    assertEquals(402, http.post(SNAPSHOT, t.key(), snapshot("arith", 4, 65_536)).status());
    b = tenant(t.tenantId());
    assertEquals(1, b.getJsonNumber("credits").longValue());
    assertEquals(800, b.getInt("credits_milli"));
    assertEquals(5, ledger(t.tenantId()).size());
  }

  @Test
  void revokedExpiredAndUnknownKeysAre401() {
    Http.LiveTenant t = http.liveTenant(10, null, null);
    assertEquals(404, http.get(SNAPSHOT + "/a/latest", t.key()).status());
    Http.Reply revoke =
        http.admin(
            "POST", "/admin/tenants/" + t.tenantId() + "/keys/" + t.keyId() + "/revoke", null);
    assertEquals(200, revoke.status(), revoke.text());
    assertTrue(revoke.json().getString("revoked_at").endsWith("Z"));
    Http.Reply r = http.get(SNAPSHOT + "/a/latest", t.key());
    assertEquals(401, r.status());
    assertEquals("api_key_revoked", r.error());

    Http.LiveTenant expired = http.liveTenant(10, null, Instant.now().minusSeconds(5).toString());
    assertEquals("api_key_expired", http.get(SNAPSHOT + "/a/latest", expired.key()).error());
    Http.LiveTenant future = http.liveTenant(10, null, Instant.now().plusSeconds(3600).toString());
    assertEquals(404, http.get(SNAPSHOT + "/a/latest", future.key()).status());

    Http.Reply unknown = http.get(SNAPSHOT + "/a/latest", "sov_live_doesNotExist123");
    assertEquals(401, unknown.status());
    assertEquals("invalid_api_key", unknown.error());
  }

  @Test
  void scopesAreHonoured() {
    Http.LiveTenant readOnly = http.liveTenant(10, "[\"read\"]", null);
    Http.Reply write = http.post(SNAPSHOT, readOnly.key(), snapshot("s", 0, 10));
    assertEquals(403, write.status());
    assertEquals("insufficient_scope", write.error());
    assertEquals(
        "no_snapshots_for_agent", http.get(SNAPSHOT + "/s/latest", readOnly.key()).error());

    Http.LiveTenant writeOnly = http.liveTenant(10, "[\"write\"]", null);
    assertEquals(200, http.post(SNAPSHOT, writeOnly.key(), snapshot("s", 0, 10)).status());
    assertEquals("insufficient_scope", http.get(SNAPSHOT + "/s/latest", writeOnly.key()).error());
  }

  @Test
  void allKeysOfOneAccountShareOneNamespace() {
    Http.LiveTenant t = http.liveTenant(10, null, null);
    Http.Reply second =
        http.admin("POST", "/admin/tenants/" + t.tenantId() + "/keys", "{\"name\":\"second\"}");
    assertEquals(201, second.status());
    String key2 = second.json().getString("key");
    assertEquals(200, http.post(SNAPSHOT, t.key(), snapshot("shared", 0, 10)).status());
    assertEquals(200, http.get(SNAPSHOT + "/shared/latest", key2).status());
    // Another account with the same agent id sees nothing.
    Http.LiveTenant other = http.liveTenant(10, null, null);
    assertEquals(404, http.get(SNAPSHOT + "/shared/latest", other.key()).status());
  }
}
