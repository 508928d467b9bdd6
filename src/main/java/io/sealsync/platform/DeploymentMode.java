package io.sealsync.platform;

import java.util.Set;
import org.eclipse.microprofile.config.Config;

/**
 * Production unless {@code sealsync.mode=development}. Outside development the server refuses the
 * secrets the project publishes for development (the README's HS256 token key and the development
 * operator password): anyone who read the README could use them. Only their SHA-256 is kept here.
 */
public final class DeploymentMode {
  public static final String PROPERTY = "sealsync.mode";
  public static final String DEVELOPMENT = "development";

  private static final Set<String> PUBLISHED_SECRETS =
      Set.of(
          // sealsync.jwt.shared-key of the development overlay
          "a8066aa5ee04b43390d420a2ef76557c81386b842ba2471697f5a57a2a89a31b",
          // sealsync.admin.password of the development overlay
          "41c223c01828a3eda021bb5e97000a221063b8d37c9dc0da139aa6f02ecbaf3e");

  private DeploymentMode() {}

  /** Whether the configuration says {@code sealsync.mode=development}; anything else is not. */
  public static boolean development(Config config) {
    return config
        .getOptionalValue(PROPERTY, String.class)
        .map(v -> v.trim().equalsIgnoreCase(DEVELOPMENT))
        .orElse(false);
  }

  /** Whether {@code secret} is one the project publishes for development. */
  public static boolean isPublishedSecret(String secret) {
    return secret != null && PUBLISHED_SECRETS.contains(Sha256.hex(secret));
  }
}
