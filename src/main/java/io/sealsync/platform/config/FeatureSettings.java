package io.sealsync.platform.config;

import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Reads one feature's settings from MicroProfile Config through the feature's own parser, which
 * checks the ranges; a bad value is logged as the reason the feature cannot start, then rethrown to
 * stop the deployment.
 */
public final class FeatureSettings {
  private static final Logger LOG = Logger.getLogger(FeatureSettings.class.getName());

  private FeatureSettings() {}

  /**
   * @param feature how the log names the feature, e.g. "Agent state"
   * @param parser reads the settings from a lookup that answers a full key with its value, if set
   */
  public static <T> T read(String feature, Function<Function<String, Optional<String>>, T> parser) {
    Config config = ConfigProvider.getConfig();
    try {
      return parser.apply(key -> config.getOptionalValue(key, String.class));
    } catch (IllegalArgumentException e) {
      LOG.severe(feature + " cannot start: " + e.getMessage());
      throw e;
    }
  }
}
