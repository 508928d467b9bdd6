package io.sealsync.testsupport;

import java.nio.charset.StandardCharsets;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * HS256 tokens with the development overlay's key (src/dev/liberty), accepted in development mode.
 */
public final class Jwts {
  public static final String ISSUER = "sealsync-dev";
  public static final String SHARED_KEY = "sealsync-dev-jwt-secret-change-me-0123456789";

  private Jwts() {}

  public static String forUser(String userId) {
    return sign(userId, ISSUER, SHARED_KEY);
  }

  public static String sign(String userId, String issuer, String key) {
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(issuer);
    claims.setSubject(userId);
    claims.setClaim("upn", userId);
    claims.setIssuedAtToNow();
    claims.setExpirationTimeMinutesInTheFuture(60);
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
    jws.setKey(new HmacKey(key.getBytes(StandardCharsets.UTF_8)));
    try {
      return jws.getCompactSerialization();
    } catch (JoseException e) {
      throw new IllegalStateException(e);
    }
  }
}
