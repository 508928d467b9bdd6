package io.sealsync.rowsync.schema;

import io.sealsync.platform.config.ConfigDurations;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How long a source that connected with local rows holds the initialization lease (rowsync.md
 * §6.3). Client test suites shorten it, so it is a setting; the reference's 15 minutes is the
 * default.
 */
@ApplicationScoped
public class InitializationLease {
  static final String KEY = "sealsync.rowsync.initialization-lease-ttl";

  @Inject
  @ConfigProperty(name = KEY, defaultValue = "PT15M")
  String configured;

  private long seconds;

  @PostConstruct
  void validate() {
    long s = ConfigDurations.positive(KEY, configured).toSeconds();
    if (s < 1) {
      throw new IllegalArgumentException(KEY + " must be at least one second, got " + configured);
    }
    seconds = s;
  }

  /** The lease's length in whole seconds, passed to SQL as a parameter. */
  public long seconds() {
    return seconds;
  }
}
