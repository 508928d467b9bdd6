package io.sealsync.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jose4j.http.Get;
import org.jose4j.http.SimpleGet;
import org.jose4j.http.SimpleResponse;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.EcKeyUtil;
import org.jose4j.keys.HmacKey;
import org.jose4j.keys.RsaKeyUtil;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

/**
 * One configured JWT consumer (row-sync users, operators' bearer tokens, the console's ID tokens):
 * signature by a shared HS256 key, a public key or the issuer's JWKS, then issuer, audience, expiry
 * and the user claim.
 */
public final class TokenVerifier {
  private static final Logger LOG = Logger.getLogger(TokenVerifier.class.getName());

  /** How long a provider's key set is kept when no token names a key id it lacks. */
  static final long JWKS_CACHE_SECONDS = 600;

  private static final Set<String> CACHE_HEADERS = Set.of("cache-control", "expires");

  /** HMAC keys shorter than the HS256 output would make forging a token a matter of guessing. */
  static final int MIN_SHARED_KEY_BYTES = 32;

  /** Reads a token's claims without checking anything: only to pick the issuer's verifier. */
  private static final JwtConsumer UNCHECKED =
      new JwtConsumerBuilder()
          .setSkipAllValidators()
          .setDisableRequireSignature()
          .setSkipSignatureVerification()
          .build();

  private final JwtConsumer consumer;
  private final String issuer;
  private final String userClaim;
  private final String description;

  /** The provider's key set, when keys come from one; null for a configured key. */
  private final HttpsJwks jwks;

  private final VerifiedTokens verified;

  private TokenVerifier(
      JwtConsumer consumer,
      String issuer,
      String userClaim,
      String description,
      HttpsJwks jwks,
      long clockSkewSeconds) {
    this.consumer = consumer;
    this.issuer = issuer;
    this.userClaim = userClaim;
    this.description = description;
    this.jwks = jwks;
    this.verified = new VerifiedTokens(clockSkewSeconds, () -> System.currentTimeMillis() / 1000);
  }

  /** The {@code iss} a token claims, unverified. */
  static Optional<String> claimedIssuer(String token) {
    try {
      return Optional.ofNullable(UNCHECKED.processToClaims(token).getIssuer());
    } catch (InvalidJwtException | MalformedClaimException e) {
      return Optional.empty();
    }
  }

  /** The issuer whose tokens this verifier accepts. */
  public String issuer() {
    return issuer;
  }

  /** Builds the verifier; refuses a missing, ambiguous or unusable configuration. */
  public static TokenVerifier of(UserTokens.Settings s) {
    String issuer = s.issuer().map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
    List<String> sources =
        Arrays.asList(
            present(s.sharedKey()) ? "sealsync.jwt.shared-key" : null,
            present(s.publicKey()) ? "sealsync.jwt.public-key" : null,
            present(s.jwksUri()) ? "sealsync.jwt.jwks-uri" : null);
    long count = sources.stream().filter(v -> v != null).count();
    if (count == 0) {
      throw new IllegalArgumentException("no token key is configured");
    }
    if (count > 1) {
      throw new IllegalArgumentException(
          "more than one token key is configured: "
              + sources.stream().filter(v -> v != null).toList());
    }
    if (issuer == null) {
      throw new IllegalArgumentException("sealsync.jwt.issuer is not set");
    }
    if (s.clockSkewSeconds() < 0) {
      throw new IllegalArgumentException("sealsync.jwt.clock-skew-seconds must not be negative");
    }
    JwtConsumerBuilder b =
        new JwtConsumerBuilder()
            .setRequireExpirationTime()
            .setAllowedClockSkewInSeconds(s.clockSkewSeconds())
            .setExpectedIssuer(issuer);
    List<String> audiences =
        Arrays.stream(s.audiences().orElse("").split(","))
            .map(String::trim)
            .filter(a -> !a.isEmpty())
            .toList();
    if (audiences.isEmpty()) {
      b.setSkipDefaultAudienceValidation();
    } else {
      b.setExpectedAudience(true, audiences.toArray(String[]::new));
    }
    String keyDescription;
    HttpsJwks keySet = null;
    if (present(s.sharedKey())) {
      byte[] key = s.sharedKey().get().getBytes(StandardCharsets.UTF_8);
      if (key.length < MIN_SHARED_KEY_BYTES) {
        throw new IllegalArgumentException(
            "sealsync.jwt.shared-key must be at least " + MIN_SHARED_KEY_BYTES + " bytes");
      }
      b.setVerificationKey(new HmacKey(key))
          .setJwsAlgorithmConstraints(
              new AlgorithmConstraints(
                  ConstraintType.PERMIT,
                  AlgorithmIdentifiers.HMAC_SHA256,
                  AlgorithmIdentifiers.HMAC_SHA384,
                  AlgorithmIdentifiers.HMAC_SHA512));
      keyDescription = "HMAC shared key";
    } else {
      b.setJwsAlgorithmConstraints(
          new AlgorithmConstraints(
              ConstraintType.PERMIT,
              AlgorithmIdentifiers.RSA_USING_SHA256,
              AlgorithmIdentifiers.RSA_USING_SHA384,
              AlgorithmIdentifiers.RSA_USING_SHA512,
              AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
              AlgorithmIdentifiers.RSA_PSS_USING_SHA384,
              AlgorithmIdentifiers.RSA_PSS_USING_SHA512,
              AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
              AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
              AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512));
      if (present(s.publicKey())) {
        b.setVerificationKey(publicKey(s.publicKey().get()));
        keyDescription = "public key";
      } else {
        String uri = s.jwksUri().get().trim();
        if (!uri.startsWith("https://") && !uri.startsWith("http://")) {
          throw new IllegalArgumentException("sealsync.jwt.jwks-uri must be an http(s) URL");
        }
        keySet = jwks(uri);
        b.setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(keySet));
        keyDescription = "JWKS " + uri;
      }
    }
    String claim = s.userClaim() == null || s.userClaim().isBlank() ? "sub" : s.userClaim();
    return new TokenVerifier(
        b.build(),
        issuer,
        claim,
        keyDescription
            + ", issuer "
            + issuer
            + (audiences.isEmpty() ? "" : ", audiences " + audiences)
            + ", user id claim "
            + claim,
        keySet,
        s.clockSkewSeconds());
  }

  String description() {
    return description;
  }

  /** Verifies a compact JWS; the user id is the configured claim, a non-empty string. */
  public UserTokens.Result verify(String token) {
    return claims(token)
        .map(
            claims -> {
              Object user = claims.getClaimValue(userClaim);
              if (user instanceof String id && !id.isEmpty()) {
                return UserTokens.Result.user(id);
              }
              LOG.fine(() -> "token without a string claim " + userClaim);
              return UserTokens.Result.refused(UserTokens.Refusal.INVALID);
            })
        .orElse(UserTokens.Result.refused(UserTokens.Refusal.INVALID));
  }

  /**
   * The claims of a token whose signature, issuer, audience and times are good; else empty. A token
   * accepted before is not checked again until it expires, unless its key has left the provider's
   * key set since.
   */
  public Optional<JwtClaims> claims(String token) {
    VerifiedTokens.Entry known = verified.find(token);
    if (known != null && keyStillPublished(known.keyId())) {
      return Optional.of(known.claims());
    }
    try {
      JwtContext checked = consumer.process(token);
      JwtClaims claims = checked.getJwtClaims();
      verified.accept(
          token,
          claims,
          claims.getExpirationTime().getValue(),
          checked.getJoseObjects().get(0).getKeyIdHeaderValue());
      return Optional.of(claims);
    } catch (InvalidJwtException | MalformedClaimException e) {
      LOG.log(Level.FINE, "token refused", e);
      verified.forget(token);
      return Optional.empty();
    }
  }

  /**
   * Whether the key that signed an accepted token is still in the provider's key set as last
   * fetched (a rotation at the provider retires tokens of a removed key at once, as without the
   * cache). A token that named no key is checked in full.
   */
  private boolean keyStillPublished(String keyId) {
    if (jwks == null) {
      return true;
    }
    if (keyId == null) {
      return false;
    }
    try {
      return jwks.getJsonWebKeys().stream().anyMatch(k -> keyId.equals(k.getKeyId()));
    } catch (JoseException | IOException e) {
      return false;
    }
  }

  /**
   * The provider's key set. Fetched on first use and again when a token names a key id it does not
   * hold (a rotation at the provider), at most every half second; otherwise kept for {@link
   * #JWKS_CACHE_SECONDS}, whatever cache headers the provider sends, so that a busy server does not
   * fetch it per request.
   */
  private static HttpsJwks jwks(String uri) {
    HttpsJwks jwks = new HttpsJwks(uri);
    jwks.setDefaultCacheDuration(JWKS_CACHE_SECONDS);
    jwks.setRefreshReprieveThreshold(500);
    // A provider briefly out of reach does not lock everyone out while its keys are known.
    jwks.setRetainCacheOnErrorDuration(JWKS_CACHE_SECONDS);
    SimpleGet get = new Get();
    jwks.setSimpleHttpGet(location -> withoutCacheHeaders(get.get(location)));
    return jwks;
  }

  private static SimpleResponse withoutCacheHeaders(SimpleResponse r) {
    return new SimpleResponse() {
      @Override
      public int getStatusCode() {
        return r.getStatusCode();
      }

      @Override
      public String getStatusMessage() {
        return r.getStatusMessage();
      }

      @Override
      public Collection<String> getHeaderNames() {
        return r.getHeaderNames().stream()
            .filter(n -> n != null && !CACHE_HEADERS.contains(n.toLowerCase(Locale.ROOT)))
            .toList();
      }

      @Override
      public List<String> getHeaderValues(String name) {
        return name != null && CACHE_HEADERS.contains(name.toLowerCase(Locale.ROOT))
            ? null
            : r.getHeaderValues(name);
      }

      @Override
      public String getBody() {
        return r.getBody();
      }
    };
  }

  private static PublicKey publicKey(String pem) {
    String text = pem.trim();
    try {
      return new RsaKeyUtil().fromPemEncoded(text);
    } catch (Exception notRsa) {
      try {
        return new EcKeyUtil().fromPemEncoded(text);
      } catch (Exception notEc) {
        throw new IllegalArgumentException(
            "sealsync.jwt.public-key is not a PEM-encoded RSA or EC public key");
      }
    }
  }

  static boolean present(Optional<String> v) {
    return v.isPresent() && !v.get().isBlank();
  }
}
