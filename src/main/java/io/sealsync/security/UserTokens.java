package io.sealsync.security;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.EcKeyUtil;
import org.jose4j.keys.HmacKey;
import org.jose4j.keys.RsaKeyUtil;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;

/**
 * The identity of row-sync users: a signed JWT from the operator's identity provider, checked here
 * rather than by the application server. Agent-state clients send their own {@code sov_} bearer
 * tokens in the same header, which a server-wide MicroProfile JWT login (Payara, WildFly) would
 * reject on every path; so the WAR validates {@code /sync} tokens itself, the same way on every
 * server, configured through MicroProfile Config.
 *
 * <p>Exactly one key source: {@code sealsync.jwt.shared-key} (HS256/384/512), {@code
 * sealsync.jwt.public-key} (PEM, RSA or EC) or {@code sealsync.jwt.jwks-uri} (the provider's JWKS,
 * fetched and refreshed on unknown key ids). Tokens must carry the configured issuer, an expiry and
 * the user id claim ({@code sub} by default).
 */
@ApplicationScoped
public class UserTokens {
  private static final Logger LOG = Logger.getLogger(UserTokens.class.getName());

  /** HMAC keys shorter than the HS256 output would make forging a token a matter of guessing. */
  static final int MIN_SHARED_KEY_BYTES = 32;

  /** Why a request has no user, in the reference host's words (rowsync.md §3, text/plain 401). */
  public enum Refusal {
    MISSING("Authorization header required"),
    MALFORMED("Invalid authorization header format"),
    INVALID("Invalid token"),
    NOT_CONFIGURED("Token verification is not configured on this server");

    private final String message;

    Refusal(String message) {
      this.message = message;
    }

    public String message() {
      return message;
    }
  }

  /** The user id, or why there is none. */
  public record Result(String userId, Refusal refusal) {
    static Result user(String id) {
      return new Result(id, null);
    }

    static Result refused(Refusal why) {
      return new Result(null, why);
    }
  }

  /** The settings, as MicroProfile Config gives them. */
  public record Settings(
      Optional<String> issuer,
      Optional<String> sharedKey,
      Optional<String> publicKey,
      Optional<String> jwksUri,
      Optional<String> audiences,
      String userClaim,
      int clockSkewSeconds) {

    static Settings from(Config config) {
      return new Settings(
          config.getOptionalValue("sealsync.jwt.issuer", String.class),
          config.getOptionalValue("sealsync.jwt.shared-key", String.class),
          config.getOptionalValue("sealsync.jwt.public-key", String.class),
          config.getOptionalValue("sealsync.jwt.jwks-uri", String.class),
          // Comma-separated in one string, like sealsync.rowsync.tables.
          config.getOptionalValue("sealsync.jwt.audiences", String.class),
          config.getOptionalValue("sealsync.jwt.user-claim", String.class).orElse("sub"),
          config.getOptionalValue("sealsync.jwt.clock-skew-seconds", Integer.class).orElse(60));
    }
  }

  @Inject Config config;

  private Verifier verifier;

  @PostConstruct
  void init() {
    try {
      use(Settings.from(config));
    } catch (IllegalArgumentException e) {
      refuseAll(e);
    }
  }

  /** Verifies with these settings from now on, or refuses every token if they are unusable. */
  void use(Settings settings) {
    try {
      verifier = Verifier.of(settings);
      LOG.info(() -> "Row sync accepts user tokens: " + verifier.description());
    } catch (IllegalArgumentException e) {
      refuseAll(e);
    }
  }

  private void refuseAll(IllegalArgumentException why) {
    verifier = null;
    LOG.warning(
        "Row sync refuses every /sync request: " + why.getMessage() + " (see sealsync.jwt.*)");
  }

  /** Reads the configuration at startup, so that a mistake shows in the log before any client. */
  void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    // Touching the bean runs init().
    configured();
  }

  /** Whether a key source is configured and valid. */
  public boolean configured() {
    return verifier != null;
  }

  /** Checks the {@code Authorization} header of a row-sync request. */
  public Result authenticate(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return Result.refused(Refusal.MISSING);
    }
    if (!authorization.startsWith("Bearer ") || authorization.length() == "Bearer ".length()) {
      return Result.refused(Refusal.MALFORMED);
    }
    if (verifier == null) {
      return Result.refused(Refusal.NOT_CONFIGURED);
    }
    return verifier.verify(authorization.substring("Bearer ".length()).trim());
  }

  /** One configured JWT consumer. */
  public static final class Verifier {
    private final JwtConsumer consumer;
    private final String userClaim;
    private final String description;

    private Verifier(JwtConsumer consumer, String userClaim, String description) {
      this.consumer = consumer;
      this.userClaim = userClaim;
      this.description = description;
    }

    /** Builds the verifier; refuses a missing, ambiguous or unusable configuration. */
    public static Verifier of(Settings s) {
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
          b.setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(new HttpsJwks(uri)));
          keyDescription = "JWKS " + uri;
        }
      }
      String claim = s.userClaim() == null || s.userClaim().isBlank() ? "sub" : s.userClaim();
      return new Verifier(
          b.build(),
          claim,
          keyDescription
              + ", issuer "
              + issuer
              + (audiences.isEmpty() ? "" : ", audiences " + audiences)
              + ", user id claim "
              + claim);
    }

    String description() {
      return description;
    }

    /** Verifies a compact JWS; the user id is the configured claim, a non-empty string. */
    public Result verify(String token) {
      try {
        JwtClaims claims = consumer.processToClaims(token);
        Object user = claims.getClaimValue(userClaim);
        if (user instanceof String id && !id.isEmpty()) {
          return Result.user(id);
        }
        LOG.fine(() -> "token without a string claim " + userClaim);
      } catch (InvalidJwtException e) {
        LOG.log(Level.FINE, "token refused", e);
      }
      return Result.refused(Refusal.INVALID);
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

    private static boolean present(Optional<String> v) {
      return v.isPresent() && !v.get().isBlank();
    }
  }
}
