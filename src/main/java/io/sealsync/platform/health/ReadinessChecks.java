package io.sealsync.platform.health;

import io.sealsync.platform.db.DatabaseMigrations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the database answers and the schema migrations are applied. */
@Readiness
@ApplicationScoped
public class ReadinessChecks implements HealthCheck {
  @Inject DatabaseMigrations migrations;

  @Override
  public HealthCheckResponse call() {
    Optional<Boolean> writable = migrations.writable();
    boolean reachable = writable.isPresent();
    boolean primary = writable.orElse(false);
    boolean migrated = migrations.applied();
    return HealthCheckResponse.named("database")
        .status(reachable && primary && migrated)
        .withData("reachable", reachable)
        .withData("writable", primary)
        .withData("migrations-applied", migrated)
        .withData("schema-version", migrations.schemaVersion())
        .build();
  }
}
