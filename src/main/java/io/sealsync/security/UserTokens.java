package io.sealsync.security;

import io.sealsync.platform.DeploymentMode;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.Config;

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
      return Stream.of(issuer, sharedKey, publicKey, jwksUri).anyMatch(TokenVerifier::present);
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
  private volatile Map<String, TokenVerifier> byIssuer = Map.of();

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
      Map<String, TokenVerifier> verifiers = new LinkedHashMap<>();
      for (Map.Entry<String, Settings> e : settings.entrySet()) {
        TokenVerifier v = verifier(e.getKey(), e.getValue(), development);
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
  static TokenVerifier verifier(String prefix, Settings s, boolean development) {
    try {
      requireNoPublishedKey(s, development);
      return TokenVerifier.of(s);
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
    Map<String, TokenVerifier> verifiers = byIssuer;
    if (verifiers.isEmpty()) {
      return Result.refused(Refusal.NOT_CONFIGURED);
    }
    String token = authorization.substring("Bearer ".length()).trim();
    TokenVerifier verifier =
        verifiers.size() == 1
            ? verifiers.values().iterator().next()
            : TokenVerifier.claimedIssuer(token).map(verifiers::get).orElse(null);
    return verifier == null ? Result.refused(Refusal.INVALID) : verifier.verify(token);
  }
}
