package io.sealsync.platform.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Alive while the JVM can allocate: a live process with a dead database is not restarted. */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {
  private static final long MIN_FREE_BYTES = 16L * 1024 * 1024;

  @Override
  public HealthCheckResponse call() {
    Runtime rt = Runtime.getRuntime();
    long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    return HealthCheckResponse.named("jvm")
        .status(free > MIN_FREE_BYTES)
        .withData("heap-free-bytes", free)
        .build();
  }
}
