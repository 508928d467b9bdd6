package io.sealsync.admin.console.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PkceTest {
  @Test
  void theS256ChallengeOfRfc7636AppendixB() {
    assertEquals(
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        Pkce.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
  }

  @Test
  void randomValuesAre43UrlSafeCharactersAndDiffer() {
    SecureRandom random = new SecureRandom();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      String v = Pkce.randomValue(random);
      assertTrue(v.matches("[A-Za-z0-9_-]{43}"), v);
      assertTrue(seen.add(v), "no value twice");
    }
  }

  @Test
  void aLoginHasThreeDistinctValuesAndTheChallengeOfItsVerifier() {
    PendingLogin login = PendingLogin.start(new SecureRandom(), Instant.now());
    assertEquals(3, Set.of(login.state(), login.nonce(), login.verifier()).size());
    assertEquals(Pkce.challenge(login.verifier()), login.challenge());
    assertNotEquals(login.verifier(), login.challenge());
  }

  @Test
  void onlyItsOwnStateWithinTenMinutesAnswersALogin() {
    Instant start = Instant.parse("2026-01-01T10:00:00Z");
    PendingLogin login = PendingLogin.start(new SecureRandom(), start);
    assertTrue(login.answers(login.state(), start.plusSeconds(5)));
    assertTrue(login.answers(login.state(), start.plus(Duration.ofMinutes(9))));
    assertFalse(login.answers(login.state(), start.plus(Duration.ofMinutes(10))), "too late");
    assertFalse(login.answers(login.nonce(), start), "another value");
    assertFalse(login.answers(login.state() + "x", start));
    assertFalse(login.answers("", start));
    assertFalse(login.answers(null, start));
  }

  @Test
  void theNonceClaimMustBeTheLoginsNonce() {
    PendingLogin login = PendingLogin.start(new SecureRandom(), Instant.now());
    assertTrue(login.nonceMatches(login.nonce()));
    assertFalse(login.nonceMatches(login.state()));
    assertFalse(login.nonceMatches(null), "an ID token without nonce");
    assertFalse(login.nonceMatches(42));
  }

  @Test
  void theScopeAlwaysHasOpenidAndParametersAreEncoded() {
    assertEquals("openid", settings("openid").scopeParameter());
    assertEquals("openid profile", settings("  profile ").scopeParameter());
    assertEquals(
        "api://sealsync/Admin openid", settings("api://sealsync/Admin openid").scopeParameter());
    Map<String, String> q = new LinkedHashMap<>();
    q.put("redirect_uri", "https://x.example/console/callback");
    q.put("scope", "openid profile");
    assertEquals(
        "https://idp.example/auth?p=1&redirect_uri=https%3A%2F%2Fx.example%2Fconsole%2Fcallback"
            + "&scope=openid+profile",
        OidcProvider.withQuery(URI.create("https://idp.example/auth?p=1"), q).toString());
    assertTrue(
        OidcProvider.withQuery(URI.create("https://idp.example/auth"), q)
            .toString()
            .startsWith("https://idp.example/auth?redirect_uri="));
  }

  private static OidcProvider.Settings settings(String scopes) {
    return new OidcProvider.Settings(
        Optional.of("https://idp.example"),
        Optional.of("c"),
        Optional.empty(),
        scopes,
        Optional.empty());
  }
}
