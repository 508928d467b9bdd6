package io.sealsync.platform.health;

import io.sealsync.platform.db.DatabaseMigrations;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the database answers and the schema migrations are applied. */
@Readiness
@ApplicationScoped
public class ReadinessChecks implements HealthCheck {
  @Resource(lookup = "java:comp/env/jdbc/sealsync")
  DataSource dataSource;

  @Inject DatabaseMigrations migrations;

  @Override
  public HealthCheckResponse call() {
    boolean reachable;
    try (Connection c = dataSource.getConnection()) {
      reachable = c.isValid(2);
    } catch (Exception e) {
      reachable = false;
    }
    boolean migrated = migrations.applied();
    return HealthCheckResponse.named("database")
        .status(reachable && migrated)
        .withData("reachable", reachable)
        .withData("migrations-applied", migrated)
        .withData("schema-version", migrations.schemaVersion())
        .build();
  }
}
