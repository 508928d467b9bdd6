package io.sealsync.rowsync.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready once the sync service is shutting down, so load balancers stop sending traffic. */
@Readiness
@ApplicationScoped
public class SyncReadiness implements HealthCheck {
  @Inject SyncLifecycle lifecycle;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("row-sync")
        .status(lifecycle.state() == SyncLifecycle.State.RUNNING)
        .withData("lifecycle", lifecycle.state().wire())
        .withData("inflight-operations", lifecycle.inflight())
        .build();
  }
}
