package io.sealsync.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicLong;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {
  final AtomicLong now = new AtomicLong(1_000);

  @Test
  void anAcceptedTokenIsKnownUntilItsExpiryPlusTheClockSkew() {
    VerifiedTokens tokens = new VerifiedTokens(60, now::get);
    JwtClaims claims = new JwtClaims();
    tokens.accept("t", claims, 1_100, "k1");
    assertSame(claims, tokens.find("t").claims());
    assertEquals("k1", tokens.find("t").keyId());
    now.set(1_159);
    assertNotNull(tokens.find("t"));
    // The verifier refuses from exp + skew on; so does the cache, and it drops the entry.
    now.set(1_160);
    assertNull(tokens.find("t"));
    now.set(1_000);
    assertNull(tokens.find("t"));
  }

  @Test
  void onlyTheExactTextIsKnown() {
    VerifiedTokens tokens = new VerifiedTokens(0, now::get);
    tokens.accept("header.payload.signature", new JwtClaims(), 2_000, null);
    assertNull(tokens.find("header.payload.signaturf"));
    assertNull(tokens.find("header.payload.signature "));
    tokens.forget("header.payload.signature");
    assertNull(tokens.find("header.payload.signature"));
  }

  @Test
  void aFullCacheDropsExpiredTokensFirstThenStartsOver() {
    VerifiedTokens tokens = new VerifiedTokens(0, now::get);
    for (int i = 0; i < VerifiedTokens.CAPACITY - 1; i++) {
      tokens.accept("old-" + i, new JwtClaims(), 1_010, null);
    }
    tokens.accept("live", new JwtClaims(), 5_000, null);
    now.set(1_020);
    tokens.accept("new", new JwtClaims(), 5_000, null);
    assertEquals(2, tokens.size());
    assertNotNull(tokens.find("live"));

    for (int i = 0; i < VerifiedTokens.CAPACITY; i++) {
      tokens.accept("live-" + i, new JwtClaims(), 5_000, null);
    }
    // Nothing had expired: the cache started over when full, so it never held more than its bound.
    assertEquals(2, tokens.size());
    assertNull(tokens.find("live"));
    assertNotNull(tokens.find("live-" + (VerifiedTokens.CAPACITY - 1)));
  }
}
