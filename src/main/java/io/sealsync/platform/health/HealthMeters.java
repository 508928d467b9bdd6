package io.sealsync.platform.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** The health checks' states as gauges, so that an alert needs no second scrape of /health. */
@ApplicationScoped
public class HealthMeters implements MeterBinder {
  @Inject @Readiness Instance<HealthCheck> readiness;
  @Inject @Liveness Instance<HealthCheck> liveness;

  @Override
  public void bindTo(MeterRegistry registry) {
    bind(registry, "readiness", readiness);
    bind(registry, "liveness", liveness);
  }

  private static void bind(MeterRegistry registry, String kind, Instance<HealthCheck> checks) {
    for (HealthCheck check : checks) {
      Gauge.builder("sealsync_health_up", check, HealthMeters::up)
          .description("1 while the health check is UP, else 0.")
          .tag("kind", kind)
          .tag("check", check.call().getName())
          .register(registry);
    }
  }

  private static double up(HealthCheck check) {
    try {
      return check.call().getStatus() == HealthCheckResponse.Status.UP ? 1 : 0;
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
