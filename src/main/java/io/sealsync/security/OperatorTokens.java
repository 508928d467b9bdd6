package io.sealsync.security;

import io.sealsync.platform.DeploymentMode;
import io.sealsync.security.UserTokens.Settings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;

/**
 * Bearer tokens of the operator API: access tokens of the company's identity provider, e.g. a
 * service account's (client credentials), checked with the same verifier as row-sync tokens but
 * under settings of their own ({@code sealsync.admin.jwt.*}), so that a row-sync user's token is
 * never an operator credential unless the operator configures it so. The caller is an operator if
 * the role claim ({@code sealsync.admin.jwt.roles-claim}, a dotted path such as {@code
 * realm_access.roles}) holds one of {@code sealsync.admin.jwt.admin-roles}.
 */
@ApplicationScoped
public class OperatorTokens {
  private static final Logger LOG = Logger.getLogger(OperatorTokens.class.getName());

  public static final String PREFIX = "sealsync.admin.jwt";

  /** A caller with a valid token: its name (the user claim) and whether it has the admin role. */
  public record Caller(String name, boolean admin) {}

  @Inject Config config;

  private TokenVerifier verifier;
  private String rolesClaim;
  private Set<String> adminRoles;
  private String nameClaim;

  @PostConstruct
  void init() {
    Settings settings = Settings.from(config, PREFIX);
    rolesClaim = config.getOptionalValue(PREFIX + ".roles-claim", String.class).orElse("groups");
    adminRoles =
        Arrays.stream(
                config
                    .getOptionalValue(PREFIX + ".admin-roles", String.class)
                    .orElse("sealsync-admin")
                    .split(","))
            .map(String::trim)
            .filter(r -> !r.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    nameClaim = settings.userClaim();
    if (!settings.given()) {
      LOG.info(
          "Operator API: no identity provider configured for bearer tokens ("
              + PREFIX
              + ".*); operators sign in through the server's user registry");
      return;
    }
    try {
      verifier = UserTokens.verifier(PREFIX, settings, DeploymentMode.development(config));
      LOG.info(
          "Operator API accepts bearer tokens: "
              + verifier.description()
              + "; operators carry "
              + adminRoles
              + " in the claim "
              + rolesClaim);
    } catch (IllegalArgumentException e) {
      LOG.severe("Operator API refuses every bearer token: " + e.getMessage());
    }
  }

  /** Whether bearer tokens can be accepted at all. */
  public boolean configured() {
    return verifier != null;
  }

  /** The caller a token names, if its signature, issuer, audience and times are good. */
  public Optional<Caller> authenticate(String token) {
    if (verifier == null || token == null || token.isBlank()) {
      return Optional.empty();
    }
    return verifier
        .claims(token)
        .flatMap(
            claims -> {
              Map<String, Object> all = claims.getClaimsMap();
              Object name = all.get(nameClaim);
              if (!(name instanceof String n) || n.isEmpty()) {
                return Optional.empty();
              }
              boolean admin = valuesAt(all, rolesClaim).stream().anyMatch(adminRoles::contains);
              return Optional.of(new Caller(n, admin));
            });
  }

  /**
   * The strings at a claim path: the claim of that very name if there is one (names may hold dots,
   * e.g. a namespaced {@code https://example.com/roles}), else the path walked through nested
   * objects ({@code realm_access.roles}). A single string counts as a list of one.
   */
  static Collection<String> valuesAt(Map<String, Object> claims, String path) {
    Object value = claims.get(path);
    if (value == null) {
      Object at = claims;
      for (String step : path.split("\\.")) {
        at = at instanceof Map<?, ?> m ? m.get(step) : null;
      }
      value = at;
    }
    if (value instanceof String s) {
      return List.of(s);
    }
    if (value instanceof Collection<?> c) {
      return c.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
    return List.of();
  }
}
