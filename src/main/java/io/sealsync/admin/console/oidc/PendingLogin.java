package io.sealsync.admin.console.oidc;

import java.io.Serializable;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

/**
 * What one sign-in keeps in the HTTP session between {@code /console/login} and {@code
 * /console/callback}: the {@code state} that ties the provider's answer to this browser (a forged
 * callback cannot know it), the {@code nonce} the ID token must carry (a replayed ID token does
 * not) and the PKCE verifier (a stolen code is useless without it). Each is used once.
 */
public record PendingLogin(String state, String nonce, String verifier, Instant started)
    implements Serializable {
  /** The session attribute that holds it. */
  public static final String ATTRIBUTE = "io.sealsync.console.oidc.pending";

  /** How long a user may spend at the provider's login page. */
  static final Duration LIFETIME = Duration.ofMinutes(10);

  public static PendingLogin start(SecureRandom random, Instant now) {
    return new PendingLogin(
        Pkce.randomValue(random), Pkce.randomValue(random), Pkce.randomValue(random), now);
  }

  /** The S256 challenge of the verifier, sent with the authorization request. */
  public String challenge() {
    return Pkce.challenge(verifier);
  }

  /** Whether the provider's answer carries this login's state, in time. */
  public boolean answers(String givenState, Instant now) {
    return Pkce.same(state, givenState) && now.isBefore(started.plus(LIFETIME));
  }

  /** Whether an ID token's nonce claim is this login's. */
  public boolean nonceMatches(Object claim) {
    return claim instanceof String n && Pkce.same(nonce, n);
  }
}
