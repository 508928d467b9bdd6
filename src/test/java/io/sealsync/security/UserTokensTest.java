package io.sealsync.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.sealsync.security.UserTokens.Refusal;
import io.sealsync.security.UserTokens.Result;
import io.sealsync.security.UserTokens.Settings;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.keys.HmacKey;
import org.jose4j.keys.RsaKeyUtil;
import org.junit.jupiter.api.Test;

class UserTokensTest {
  static final String ISSUER = "https://idp.example.com";
  static final String SECRET = "a-shared-secret-of-at-least-32-bytes!!";

  static Settings settings(
      Optional<String> sharedKey, Optional<String> publicKey, Optional<String> jwksUri) {
    return new Settings(
        Optional.of(ISSUER), sharedKey, publicKey, jwksUri, Optional.empty(), "sub", 60);
  }

  static TokenVerifier hmac() {
    return TokenVerifier.of(settings(Optional.of(SECRET), Optional.empty(), Optional.empty()));
  }

  static TokenVerifier hmac(Optional<String> audiences, String userClaim) {
    return TokenVerifier.of(
        new Settings(
            Optional.of(ISSUER),
            Optional.of(SECRET),
            Optional.empty(),
            Optional.empty(),
            audiences,
            userClaim,
            60));
  }

  static JwtClaims claims(String user) {
    JwtClaims c = new JwtClaims();
    c.setIssuer(ISSUER);
    if (user != null) {
      c.setSubject(user);
    }
    c.setIssuedAtToNow();
    c.setExpirationTimeMinutesInTheFuture(10);
    return c;
  }

  static String sign(JwtClaims claims, String alg, Key key, String kid) throws Exception {
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setAlgorithmHeaderValue(alg);
    jws.setKey(key);
    if (kid != null) {
      jws.setKeyIdHeaderValue(kid);
    }
    return jws.getCompactSerialization();
  }

  static String hs256(JwtClaims claims) throws Exception {
    return sign(
        claims,
        AlgorithmIdentifiers.HMAC_SHA256,
        new HmacKey(SECRET.getBytes(StandardCharsets.UTF_8)),
        null);
  }

  static String hs256(Consumer<JwtClaims> change) throws Exception {
    JwtClaims c = claims("alice");
    change.accept(c);
    return hs256(c);
  }

  @Test
  void aValidTokenNamesItsSubject() throws Exception {
    Result r = hmac().verify(hs256(claims("alice@example.com")));
    assertEquals("alice@example.com", r.userId());
    assertNull(r.refusal());
  }

  @Test
  void forgedExpiredForeignOrAnonymousTokensAreRefused() throws Exception {
    TokenVerifier v = hmac();
    String otherKey =
        sign(
            claims("alice"),
            AlgorithmIdentifiers.HMAC_SHA256,
            new HmacKey(
                "another-secret-of-at-least-32-bytes-long".getBytes(StandardCharsets.UTF_8)),
            null);
    List<String> refused =
        List.of(
            otherKey,
            hs256(c -> c.setExpirationTimeMinutesInTheFuture(-5)),
            hs256(c -> c.unsetClaim("exp")),
            hs256(c -> c.setIssuer("https://evil.example.com")),
            hs256(c -> c.unsetClaim("iss")),
            hs256(c -> c.setNotBeforeMinutesInThePast(-10)),
            hs256(claims(null)),
            hs256(c -> c.setSubject("")),
            hs256(c -> c.setClaim("sub", 42)),
            "not-a-jwt",
            "a.b.c");
    for (String token : refused) {
      assertEquals(Refusal.INVALID, v.verify(token).refusal(), token);
    }
  }

  @Test
  void unsignedTokensAndOtherAlgorithmsAreRefused() throws Exception {
    JsonWebSignature none = new JsonWebSignature();
    none.setPayload(claims("alice").toJson());
    none.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
    none.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
    assertEquals(Refusal.INVALID, hmac().verify(none.getCompactSerialization()).refusal());

    // An RSA key's public half must not double as an HMAC secret, nor the other way round.
    PublicJsonWebKey rsa = RsaJwkGenerator.generateJwk(2048);
    String pem = RsaKeyUtil.pemEncode(rsa.getPublicKey());
    TokenVerifier byKey =
        TokenVerifier.of(settings(Optional.empty(), Optional.of(pem), Optional.empty()));
    String hmacWithPem =
        sign(
            claims("alice"),
            AlgorithmIdentifiers.HMAC_SHA256,
            new HmacKey(pem.getBytes(StandardCharsets.UTF_8)),
            null);
    assertEquals(Refusal.INVALID, byKey.verify(hmacWithPem).refusal());
    assertEquals(Refusal.INVALID, byKey.verify(hs256(claims("alice"))).refusal());
  }

  @Test
  void audiencesAreCheckedWhenConfigured() throws Exception {
    TokenVerifier v = hmac(Optional.of("sealsync, other "), "sub");
    assertEquals("alice", v.verify(hs256(c -> c.setAudience("other"))).userId());
    assertEquals("alice", v.verify(hs256(c -> c.setAudience("x", "sealsync"))).userId());
    assertEquals(Refusal.INVALID, v.verify(hs256(c -> c.setAudience("x"))).refusal());
    assertEquals(Refusal.INVALID, v.verify(hs256(claims("alice"))).refusal());
    // Without configured audiences a token's aud is not held against it.
    assertEquals("alice", hmac().verify(hs256(c -> c.setAudience("anything"))).userId());
  }

  @Test
  void theUserClaimIsConfigurable() throws Exception {
    TokenVerifier v = hmac(Optional.empty(), "preferred_username");
    assertEquals("bob", v.verify(hs256(c -> c.setClaim("preferred_username", "bob"))).userId());
    assertEquals(Refusal.INVALID, v.verify(hs256(claims("alice"))).refusal());
  }

  static TokenVerifier byPublicKey(PublicJsonWebKey key) {
    return TokenVerifier.of(
        settings(
            Optional.empty(),
            Optional.of(RsaKeyUtil.pemEncode(key.getPublicKey())),
            Optional.empty()));
  }

  /** What the verifier makes of a token for {@code user} signed with {@code key}. */
  static Result verifySigned(TokenVerifier v, String user, String alg, PublicJsonWebKey key)
      throws Exception {
    return v.verify(sign(claims(user), alg, key.getPrivateKey(), null));
  }

  @Test
  void rsaAndEcPublicKeysInPem() throws Exception {
    PublicJsonWebKey rsa = RsaJwkGenerator.generateJwk(2048);
    TokenVerifier byRsa = byPublicKey(rsa);
    assertEquals(
        "carol", verifySigned(byRsa, "carol", AlgorithmIdentifiers.RSA_USING_SHA256, rsa).userId());
    assertEquals(
        "carol",
        verifySigned(byRsa, "carol", AlgorithmIdentifiers.RSA_PSS_USING_SHA256, rsa).userId());
    PublicJsonWebKey otherRsa = RsaJwkGenerator.generateJwk(2048);
    assertEquals(
        Refusal.INVALID,
        verifySigned(byRsa, "carol", AlgorithmIdentifiers.RSA_USING_SHA256, otherRsa).refusal());

    PublicJsonWebKey ec = EcJwkGenerator.generateJwk(EllipticCurves.P256);
    assertEquals(
        "dave",
        verifySigned(
                byPublicKey(ec), "dave", AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, ec)
            .userId());
  }

  /**
   * An identity provider's key set on {@code /jwks}: the public part of the key given each time.
   */
  static HttpServer jwksServer(Supplier<PublicJsonWebKey> published) throws Exception {
    HttpServer idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    idp.createContext(
        "/jwks",
        exchange -> {
          byte[] body =
              new JsonWebKeySet(published.get())
                  .toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    idp.start();
    return idp;
  }

  @Test
  void keysComeFromTheProvidersJwksByKeyId() throws Exception {
    PublicJsonWebKey signing = RsaJwkGenerator.generateJwk(2048);
    signing.setKeyId("k1");
    signing.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
    HttpServer idp = jwksServer(() -> signing);
    try {
      String uri = "http://127.0.0.1:" + idp.getAddress().getPort() + "/jwks";
      TokenVerifier v =
          TokenVerifier.of(settings(Optional.empty(), Optional.empty(), Optional.of(uri)));
      assertEquals(
          "erin",
          v.verify(
                  sign(
                      claims("erin"),
                      AlgorithmIdentifiers.RSA_USING_SHA256,
                      signing.getPrivateKey(),
                      "k1"))
              .userId());
      PublicJsonWebKey unknown = RsaJwkGenerator.generateJwk(2048);
      assertEquals(
          Refusal.INVALID,
          v.verify(
                  sign(
                      claims("erin"),
                      AlgorithmIdentifiers.RSA_USING_SHA256,
                      unknown.getPrivateKey(),
                      "k2"))
              .refusal());
    } finally {
      idp.stop(0);
    }
  }

  @Test
  void anAcceptedTokenIsRefusedOnceItsKeyLeftTheProvidersKeySet() throws Exception {
    PublicJsonWebKey oldKey = RsaJwkGenerator.generateJwk(2048);
    oldKey.setKeyId("old");
    PublicJsonWebKey newKey = RsaJwkGenerator.generateJwk(2048);
    newKey.setKeyId("new");
    AtomicReference<PublicJsonWebKey> published = new AtomicReference<>(oldKey);
    HttpServer idp = jwksServer(published::get);
    try {
      String uri = "http://127.0.0.1:" + idp.getAddress().getPort() + "/jwks";
      TokenVerifier v =
          TokenVerifier.of(settings(Optional.empty(), Optional.empty(), Optional.of(uri)));
      String before =
          sign(
              claims("erin"), AlgorithmIdentifiers.RSA_USING_SHA256, oldKey.getPrivateKey(), "old");
      assertEquals("erin", v.verify(before).userId());
      assertEquals("erin", v.verify(before).userId());

      // The provider rotates; the first token naming the new key makes the server fetch the set.
      published.set(newKey);
      Thread.sleep(600);
      String after =
          sign(
              claims("erin"), AlgorithmIdentifiers.RSA_USING_SHA256, newKey.getPrivateKey(), "new");
      assertEquals("erin", v.verify(after).userId());
      assertEquals(Refusal.INVALID, v.verify(before).refusal());
      assertEquals("erin", v.verify(after).userId());
    } finally {
      idp.stop(0);
    }
  }

  @Test
  void unusableConfigurationsAreRefusedWithTheirReason() {
    Optional<String> none = Optional.empty();
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> TokenVerifier.of(settings(none, none, none)))
            .getMessage()
            .contains("no token key"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    TokenVerifier.of(settings(Optional.of(SECRET), none, Optional.of("https://x"))))
            .getMessage()
            .contains("more than one"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> TokenVerifier.of(settings(Optional.of("short"), none, none)))
            .getMessage()
            .contains("at least 32 bytes"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> TokenVerifier.of(settings(none, Optional.of("-----BEGIN nonsense"), none)))
            .getMessage()
            .contains("PEM"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> TokenVerifier.of(settings(none, none, Optional.of("file:///etc/jwks.json"))))
            .getMessage()
            .contains("http(s)"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    TokenVerifier.of(
                        new Settings(
                            Optional.of(" "),
                            Optional.of(SECRET),
                            none,
                            none,
                            Optional.empty(),
                            "sub",
                            60)))
            .getMessage()
            .contains("issuer"));
  }

  static UserTokens bean(Optional<String> sharedKey) {
    UserTokens t = new UserTokens();
    t.use(settings(sharedKey, Optional.empty(), Optional.empty()));
    return t;
  }

  @Test
  void theAuthorizationHeaderIsReadLikeTheReferenceHost() throws Exception {
    UserTokens t = bean(Optional.of(SECRET));
    assertTrue(t.configured());
    String token = hs256(claims("alice"));
    assertEquals("alice", t.authenticate("Bearer " + token).userId());
    assertEquals(Refusal.MISSING, t.authenticate(null).refusal());
    assertEquals(Refusal.MISSING, t.authenticate("  ").refusal());
    assertEquals(Refusal.MALFORMED, t.authenticate("Basic YWxpY2U6eA==").refusal());
    assertEquals(Refusal.MALFORMED, t.authenticate("Bearer ").refusal());
    assertEquals(Refusal.MALFORMED, t.authenticate(token).refusal());
    assertEquals(Refusal.INVALID, t.authenticate("Bearer sov_live_abc").refusal());
  }

  @Test
  void withoutAKeyEveryRequestIsRefused() throws Exception {
    UserTokens t = bean(Optional.empty());
    assertFalse(t.configured());
    assertEquals(
        Refusal.NOT_CONFIGURED, t.authenticate("Bearer " + hs256(claims("alice"))).refusal());
  }

  static final String PUBLISHED_KEY = "sealsync-dev-jwt-secret-change-me-0123456789";

  @Test
  void thePublishedDevelopmentKeyIsAcceptedInDevelopmentModeOnly() throws Exception {
    Settings published = settings(Optional.of(PUBLISHED_KEY), Optional.empty(), Optional.empty());
    String token =
        sign(
            claims("alice"),
            AlgorithmIdentifiers.HMAC_SHA256,
            new HmacKey(PUBLISHED_KEY.getBytes(StandardCharsets.UTF_8)),
            null);

    UserTokens production = new UserTokens();
    production.use(Map.of(UserTokens.PREFIX, published), false);
    assertFalse(production.configured());
    assertEquals(Refusal.NOT_CONFIGURED, production.authenticate("Bearer " + token).refusal());

    UserTokens development = new UserTokens();
    development.use(Map.of(UserTokens.PREFIX, published), true);
    assertEquals("alice", development.authenticate("Bearer " + token).userId());

    // A secret of the operator's own is fine outside development.
    assertEquals(
        "alice",
        bean(Optional.of(SECRET)).authenticate("Bearer " + hs256(claims("alice"))).userId());
  }

  @Test
  void severalIssuersAreTrustedEachWithItsOwnKey() throws Exception {
    PublicJsonWebKey rsa = RsaJwkGenerator.generateJwk(2048);
    Settings idp =
        new Settings(
            Optional.of("https://idp.example.com/realms/acme"),
            Optional.empty(),
            Optional.of(RsaKeyUtil.pemEncode(rsa.getPublicKey())),
            Optional.empty(),
            Optional.of("sealsync"),
            "preferred_username",
            60);
    Map<String, Settings> both = new LinkedHashMap<>();
    both.put(UserTokens.PREFIX, settings(Optional.of(SECRET), Optional.empty(), Optional.empty()));
    both.put("sealsync.jwt.provider.acme", idp);
    UserTokens t = new UserTokens();
    t.use(both, false);

    assertEquals("alice", t.authenticate("Bearer " + hs256(claims("alice"))).userId());
    JwtClaims acme = claims("uuid-of-bob");
    acme.setIssuer("https://idp.example.com/realms/acme");
    acme.setAudience("sealsync");
    acme.setClaim("preferred_username", "bob");
    String bobToken = sign(acme, AlgorithmIdentifiers.RSA_USING_SHA256, rsa.getPrivateKey(), null);
    assertEquals("bob", t.authenticate("Bearer " + bobToken).userId());

    // Each issuer's own checks: the provider's audience, and its key only.
    acme.setAudience("other");
    assertEquals(
        Refusal.INVALID,
        t.authenticate(
                "Bearer "
                    + sign(acme, AlgorithmIdentifiers.RSA_USING_SHA256, rsa.getPrivateKey(), null))
            .refusal());
    acme.setAudience("sealsync");
    assertEquals(Refusal.INVALID, t.authenticate("Bearer " + hs256(acme)).refusal());
    // An issuer nobody configured.
    assertEquals(
        Refusal.INVALID,
        t.authenticate("Bearer " + hs256(c -> c.setIssuer("https://evil.example.com"))).refusal());
    assertEquals(Refusal.INVALID, t.authenticate("Bearer not-a-jwt").refusal());
  }

  @Test
  void twoSettingsForOneIssuerOrOneBadProviderRefuseEverything() throws Exception {
    Map<String, Settings> twice = new LinkedHashMap<>();
    twice.put(UserTokens.PREFIX, settings(Optional.of(SECRET), Optional.empty(), Optional.empty()));
    twice.put(
        "sealsync.jwt.provider.again",
        settings(Optional.of(SECRET), Optional.empty(), Optional.empty()));
    UserTokens t = new UserTokens();
    t.use(twice, false);
    assertFalse(t.configured());

    Map<String, Settings> bad = new LinkedHashMap<>();
    bad.put(UserTokens.PREFIX, settings(Optional.of(SECRET), Optional.empty(), Optional.empty()));
    bad.put(
        "sealsync.jwt.provider.broken",
        settings(Optional.empty(), Optional.empty(), Optional.empty()));
    t.use(bad, false);
    assertFalse(t.configured());
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    UserTokens.verifier(
                        "sealsync.jwt.provider.broken",
                        settings(Optional.of("short"), Optional.empty(), Optional.empty()),
                        false))
            .getMessage()
            .contains("sealsync.jwt.provider.broken.shared-key must be at least 32 bytes"));
  }
}
