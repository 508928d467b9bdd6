package io.sealsync.admin.console.oidc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Proof Key for Code Exchange (RFC 7636) with the S256 method, and the random values of a login.
 */
public final class Pkce {
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private Pkce() {}

  /** 32 random bytes, base64url without padding: 43 characters, as RFC 7636 §4.1 recommends. */
  public static String randomValue(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return URL.encodeToString(bytes);
  }

  /** {@code BASE64URL(SHA-256(ASCII(verifier)))}, the S256 code challenge (RFC 7636 §4.2). */
  public static String challenge(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return URL.encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Compares two secrets in time that does not depend on where they differ. */
  public static boolean same(String expected, String given) {
    if (expected == null || given == null) {
      return false;
    }
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }
}
