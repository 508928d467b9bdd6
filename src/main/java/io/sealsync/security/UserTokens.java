package io.sealsync.security;

import io.sealsync.platform.DeploymentMode;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.Config;
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
 * <p>Per trusted issuer exactly one key source: {@code sealsync.jwt.shared-key} (HS256/384/512),
 * {@code sealsync.jwt.public-key} (PEM, RSA or EC) or {@code sealsync.jwt.jwks-uri} (the provider's
 * JWKS, fetched again when a token names a key id it does not hold, so that a key rotation at the
 * provider is followed without a restart). Tokens must carry the configured issuer, an expiry and
 * the user id claim ({@code sub} by default). Further issuers can be trusted beside the first one
 * ({@code sealsync.jwt.providers=<name>,…}, each configured under {@code
 * sealsync.jwt.provider.<name>.*}); a token is checked by the issuer its {@code iss} names. Outside
 * development mode the key the project publishes for development is refused.
 */
@ApplicationScoped
public class UserTokens {
  private static final Logger LOG = Logger.getLogger(UserTokens.class.getName());

  /** How long a provider's key set is kept when no token names a key id it lacks. */
  static final long JWKS_CACHE_SECONDS = 600;

  private static final Set<String> CACHE_HEADERS = Set.of("cache-control", "expires");

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

    /** The settings under {@code prefix}, e.g. {@code sealsync.jwt}. */
    public static Settings from(Config config, String prefix) {
      return new Settings(
          config.getOptionalValue(prefix + ".issuer", String.class),
          config.getOptionalValue(prefix + ".shared-key", String.class),
          config.getOptionalValue(prefix + ".public-key", String.class),
          config.getOptionalValue(prefix + ".jwks-uri", String.class),
          // Comma-separated in one string, like sealsync.rowsync.tables.
          config.getOptionalValue(prefix + ".audiences", String.class),
          config.getOptionalValue(prefix + ".user-claim", String.class).orElse("sub"),
          config.getOptionalValue(prefix + ".clock-skew-seconds", Integer.class).orElse(60));
    }

    /** Whether anything names an issuer or a key: a settings block the operator meant to use. */
    boolean given() {
      return Stream.of(issuer, sharedKey, publicKey, jwksUri).anyMatch(Verifier::present);
    }
  }

  /** The prefix of the first trusted issuer, and of the list of further ones. */
  static final String PREFIX = "sealsync.jwt";

  /**
   * Names the further trusted issuers, each configured under {@code sealsync.jwt.provider.<name>}.
   */
  static final String PROVIDERS = PREFIX + ".providers";

  /** The settings of every trusted issuer the configuration names, each with its config prefix. */
  static Map<String, Settings> configured(Config config) {
    Map<String, Settings> all = new LinkedHashMap<>();
    Settings first = Settings.from(config, PREFIX);
    if (first.given()) {
      all.put(PREFIX, first);
    }
    for (String name : config.getOptionalValue(PROVIDERS, String.class).orElse("").split(",")) {
      String n = name.trim();
      if (n.isEmpty()) {
        continue;
      }
      if (!n.matches("[A-Za-z0-9_-]+")) {
        throw new IllegalArgumentException(
            PROVIDERS + " names \"" + n + "\": only letters, digits, '-' and '_' are allowed");
      }
      String prefix = PREFIX + ".provider." + n;
      all.put(prefix, Settings.from(config, prefix));
    }
    return all;
  }

  @Inject Config config;

  /**
   * The verifier of each trusted issuer, by the exact {@code iss} its tokens carry; empty: none.
   */
  private volatile Map<String, Verifier> byIssuer = Map.of();

  @PostConstruct
  void init() {
    boolean development = DeploymentMode.development(config);
    try {
      use(configured(config), development);
    } catch (IllegalArgumentException e) {
      refuseAll(e);
    }
  }

  /** Verifies with these settings from now on (tests: one issuer, not in development mode). */
  void use(Settings settings) {
    use(Map.of(PREFIX, settings), false);
  }

  /**
   * Verifies with these settings, by config prefix, from now on; if any is unusable, or uses the
   * published development key outside development mode, refuses every token and logs why.
   */
  void use(Map<String, Settings> settings, boolean development) {
    try {
      if (settings.isEmpty()) {
        throw new IllegalArgumentException("no token key is configured");
      }
      Map<String, Verifier> verifiers = new LinkedHashMap<>();
      for (Map.Entry<String, Settings> e : settings.entrySet()) {
        Verifier v = verifier(e.getKey(), e.getValue(), development);
        if (verifiers.put(v.issuer(), v) != null) {
          throw new IllegalArgumentException("two token settings name the issuer " + v.issuer());
        }
      }
      byIssuer = Map.copyOf(verifiers);
      verifiers.values().forEach(v -> LOG.info("Row sync accepts user tokens: " + v.description()));
    } catch (IllegalArgumentException e) {
      refuseAll(e);
    }
  }

  /** One issuer's verifier; its settings' mistakes are reported under their config prefix. */
  static Verifier verifier(String prefix, Settings s, boolean development) {
    try {
      requireNoPublishedKey(s, development);
      return Verifier.of(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          prefix + ": " + e.getMessage().replace("sealsync.jwt.", prefix + "."), e);
    }
  }

  /** Outside development, the HS256 key the README publishes would let anyone act as anyone. */
  static void requireNoPublishedKey(Settings s, boolean development) {
    if (!development && s.sharedKey().map(DeploymentMode::isPublishedSecret).orElse(false)) {
      throw new IllegalArgumentException(
          "sealsync.jwt.shared-key is the development key the README publishes; it is accepted"
              + " only with "
              + DeploymentMode.PROPERTY
              + "="
              + DeploymentMode.DEVELOPMENT
              + ". Configure your identity provider (sealsync.jwt.issuer and"
              + " sealsync.jwt.jwks-uri) or a secret of your own");
    }
  }

  private void refuseAll(IllegalArgumentException why) {
    byIssuer = Map.of();
    LOG.severe(
        "Row sync refuses every /sync request: " + why.getMessage() + " (see sealsync.jwt.*)");
  }

  /** Reads the configuration at startup, so that a mistake shows in the log before any client. */
  void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    // Touching the bean runs init().
    configured();
  }

  /** Whether a key source is configured and valid. */
  public boolean configured() {
    return !byIssuer.isEmpty();
  }

  /** Checks the {@code Authorization} header of a row-sync request. */
  public Result authenticate(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return Result.refused(Refusal.MISSING);
    }
    if (!authorization.startsWith("Bearer ") || authorization.length() == "Bearer ".length()) {
      return Result.refused(Refusal.MALFORMED);
    }
    Map<String, Verifier> verifiers = byIssuer;
    if (verifiers.isEmpty()) {
      return Result.refused(Refusal.NOT_CONFIGURED);
    }
    String token = authorization.substring("Bearer ".length()).trim();
    Verifier verifier =
        verifiers.size() == 1
            ? verifiers.values().iterator().next()
            : Verifier.claimedIssuer(token).map(verifiers::get).orElse(null);
    return verifier == null ? Result.refused(Refusal.INVALID) : verifier.verify(token);
  }

  /** One configured JWT consumer. */
  public static final class Verifier {
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

    private Verifier(JwtConsumer consumer, String issuer, String userClaim, String description) {
      this.consumer = consumer;
      this.issuer = issuer;
      this.userClaim = userClaim;
      this.description = description;
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
          b.setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(jwks(uri)));
          keyDescription = "JWKS " + uri;
        }
      }
      String claim = s.userClaim() == null || s.userClaim().isBlank() ? "sub" : s.userClaim();
      return new Verifier(
          b.build(),
          issuer,
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
      return claims(token)
          .map(
              claims -> {
                Object user = claims.getClaimValue(userClaim);
                if (user instanceof String id && !id.isEmpty()) {
                  return Result.user(id);
                }
                LOG.fine(() -> "token without a string claim " + userClaim);
                return Result.refused(Refusal.INVALID);
              })
          .orElse(Result.refused(Refusal.INVALID));
    }

    /** The claims of a token whose signature, issuer, audience and times are good; else empty. */
    public Optional<JwtClaims> claims(String token) {
      try {
        return Optional.of(consumer.processToClaims(token));
      } catch (InvalidJwtException e) {
        LOG.log(Level.FINE, "token refused", e);
        return Optional.empty();
      }
    }

    /**
     * The provider's key set. Fetched on first use and again when a token names a key id it does
     * not hold (a rotation at the provider), at most every half second; otherwise kept for {@link
     * #JWKS_CACHE_SECONDS}, whatever cache headers the provider sends, so that a busy server does
     * not fetch it per request.
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
}
