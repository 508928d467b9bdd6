package io.sealsync.rowsync;

import io.sealsync.platform.config.FeatureSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes {@link RowSyncSettings} injectable: read once per deployment, from MicroProfile Config. */
@jakarta.enterprise.context.ApplicationScoped
public class RowSyncSettingsProducer {
  @Produces
  @Singleton
  RowSyncSettings settings() {
    return FeatureSettings.read("Row sync", RowSyncSettings::read);
  }
}
