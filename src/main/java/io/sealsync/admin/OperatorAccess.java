package io.sealsync.admin;

import io.sealsync.platform.DeploymentMode;
import io.sealsync.security.OperatorTokens;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Who may use the operator API, decided once at start and logged: bearer tokens of the identity
 * provider ({@link OperatorTokens}), and BASIC sign-in against the server's user registry as {@code
 * sealsync.admin.basic} says:
 *
 * <ul>
 *   <li>{@code bundled} (default): the registry of {@code server-config/}, whose one operator has
 *       the password {@code sealsync.admin.password}. Outside development mode BASIC is refused
 *       unless that password is set, at least {@value #MIN_PASSWORD_LENGTH} characters long and not
 *       the published development one.
 *   <li>{@code registry}: the operator wired the server to a registry of their own (LDAP, a Payara
 *       file realm, WildFly users) whose passwords the application never sees.
 *   <li>{@code off}: bearer tokens only.
 * </ul>
 *
 * Outside development mode the operator API also requires HTTPS.
 */
@ApplicationScoped
public class OperatorAccess {
  private static final Logger LOG = Logger.getLogger(OperatorAccess.class.getName());

  public static final String ROLE = "sealsync-admin";

  /**
   * The request attribute that names an operator the application itself authenticated (a bearer
   * token, a console session), for the audit.
   */
  public static final String OPERATOR_ATTRIBUTE = "io.sealsync.admin.operator";

  static final int MIN_PASSWORD_LENGTH = 16;

  @Inject Config config;
  @Inject OperatorTokens tokens;

  private boolean development;
  private String basicRefusal;

  @PostConstruct
  void init() {
    development = DeploymentMode.development(config);
    basicRefusal =
        basicRefusal(
                config.getOptionalValue("sealsync.admin.basic", String.class).orElse("bundled"),
                config.getOptionalValue("sealsync.admin.password", String.class),
                development)
            .orElse(null);
    if (development) {
      LOG.warning(
          "Development mode ("
              + DeploymentMode.PROPERTY
              + "="
              + DeploymentMode.DEVELOPMENT
              + "): the published development secrets are accepted and the operator API is"
              + " served over plain HTTP. Never let others reach a server in this mode.");
    } else if (basicRefusal != null) {
      LOG.severe("Operator API refuses BASIC sign-in: " + basicRefusal);
    } else {
      LOG.info("Operator API accepts BASIC sign-in through the server's user registry, over HTTPS");
    }
  }

  /** Reads the configuration at start, so that the log says at once who may sign in. */
  void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    development();
  }

  /**
   * Why BASIC sign-in is refused with this configuration, or empty when it is allowed. In
   * development mode it always is.
   */
  static Optional<String> basicRefusal(
      String policy, Optional<String> password, boolean development) {
    if (development) {
      return Optional.empty();
    }
    switch (policy.trim().toLowerCase(Locale.ROOT)) {
      case "registry":
        return Optional.empty();
      case "off":
        return Optional.of("sealsync.admin.basic=off; operators sign in with bearer tokens");
      case "bundled":
        break;
      default:
        return Optional.of(
            "sealsync.admin.basic is \"" + policy + "\"; use bundled, registry or off");
    }
    String p = password.orElse("");
    if (p.isBlank()) {
      return Optional.of(
          "no operator password is set (SEALSYNC_ADMIN_PASSWORD, at least "
              + MIN_PASSWORD_LENGTH
              + " characters); or set sealsync.admin.basic=registry when the server's own"
              + " registry (LDAP) holds the operators");
    }
    if (DeploymentMode.isPublishedSecret(p)) {
      return Optional.of(
          "the operator password is the published development one; set SEALSYNC_ADMIN_PASSWORD"
              + " to a secret of your own");
    }
    if (p.length() < MIN_PASSWORD_LENGTH) {
      return Optional.of(
          "the operator password (SEALSYNC_ADMIN_PASSWORD) is shorter than "
              + MIN_PASSWORD_LENGTH
              + " characters");
    }
    return Optional.empty();
  }

  public boolean development() {
    return development;
  }

  /** Why BASIC sign-in is refused, or empty. */
  public Optional<String> basicRefusal() {
    return Optional.ofNullable(basicRefusal);
  }

  public OperatorTokens tokens() {
    return tokens;
  }
}
