package io.sealsync.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jose4j.jwt.JwtClaims;

/**
 * Tokens a verifier has accepted, until they expire. A client sends the same token with every
 * request for its lifetime, and checking its signature and claims again each time was the largest
 * single cost of a small request in Sealsync's own code. Only accepted tokens are kept, keyed by
 * their exact text, so a token that differs in one character is verified in full.
 */
final class VerifiedTokens {
  /** Enough for the clients of a busy node; past it, expired entries go, then all of them. */
  static final int CAPACITY = 10_000;

  /** An accepted token's claims and the key id it named (null when it named none). */
  record Entry(JwtClaims claims, long validBeforeSecond, String keyId) {}

  private final Map<String, Entry> accepted = new ConcurrentHashMap<>();
  private final long clockSkewSeconds;
  private final LongSupplier nowSecond;

  VerifiedTokens(long clockSkewSeconds, LongSupplier nowSecond) {
    this.clockSkewSeconds = clockSkewSeconds;
    this.nowSecond = nowSecond;
  }

  /**
   * A token accepted before and not expired since (with the verifier's allowance for clock skew),
   * else null.
   */
  Entry find(String token) {
    Entry e = accepted.get(token);
    if (e == null) {
      return null;
    }
    if (nowSecond.getAsLong() >= e.validBeforeSecond()) {
      accepted.remove(token, e);
      return null;
    }
    return e;
  }

  /** Remembers an accepted token; {@code expiresAtSecond} is its {@code exp} claim. */
  void accept(String token, JwtClaims claims, long expiresAtSecond, String keyId) {
    if (accepted.size() >= CAPACITY) {
      long now = nowSecond.getAsLong();
      accepted.values().removeIf(e -> now >= e.validBeforeSecond());
      if (accepted.size() >= CAPACITY) {
        accepted.clear();
      }
    }
    accepted.put(token, new Entry(claims, expiresAtSecond + clockSkewSeconds, keyId));
  }

  /** Forgets a token, when what it was accepted with no longer holds (its key left the set). */
  void forget(String token) {
    accepted.remove(token);
  }

  int size() {
    return accepted.size();
  }
}
