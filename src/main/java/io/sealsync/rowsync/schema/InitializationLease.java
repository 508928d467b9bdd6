package io.sealsync.rowsync.schema;

import io.sealsync.rowsync.RowSyncSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * How long a source that connected with local rows holds the initialization lease (rowsync.md
 * §6.3). Client test suites shorten it, so it is a setting ({@code
 * sealsync.rowsync.initialization-lease-ttl}); the reference's 15 minutes is the default.
 */
@ApplicationScoped
public class InitializationLease {
  @Inject RowSyncSettings settings;

  /** The lease's length in whole seconds, passed to SQL as a parameter. */
  public long seconds() {
    return settings.initializationLease().toSeconds();
  }
}
