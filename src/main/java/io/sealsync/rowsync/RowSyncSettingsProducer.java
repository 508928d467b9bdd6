package io.sealsync.rowsync;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Makes {@link RowSyncSettings} injectable: read once per deployment, from MicroProfile Config. */
@jakarta.enterprise.context.ApplicationScoped
public class RowSyncSettingsProducer {
  @Produces
  @Singleton
  RowSyncSettings settings() {
    Config config = ConfigProvider.getConfig();
    return RowSyncSettings.read(key -> config.getOptionalValue(key, String.class));
  }
}
