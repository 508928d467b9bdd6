package io.sealsync.agentstate;

import io.sealsync.platform.RateLimiter;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The agent-state protocol's limits, from MicroProfile Config (defaults in the README). */
@ApplicationScoped
public class AgentStateLimits {
  /** One maximum chunk in base64 (349 528 characters) must always fit (§5.2, D14). */
  static final long MIN_REQUEST_BYTES = 512 * 1024;

  /** The protocol's page size (§7); no byte budget unless the client asks for one (D9). */
  static final int MAX_REPLAY_ROWS = 1000;

  @Inject
  @ConfigProperty(name = "sealsync.agent-state.max-request-bytes", defaultValue = "4194304")
  long maxRequestBytes;

  @Inject
  @ConfigProperty(name = "sealsync.agent-state.rate-limit.per-second", defaultValue = "100")
  double ratePerSecond;

  @Inject
  @ConfigProperty(name = "sealsync.agent-state.rate-limit.burst", defaultValue = "200")
  double rateBurst;

  private RateLimiter limiter;

  @PostConstruct
  void init() {
    limiter = new RateLimiter(ratePerSecond, rateBurst, 100_000, System::nanoTime);
  }

  public long maxRequestBytes() {
    return Math.max(maxRequestBytes, MIN_REQUEST_BYTES);
  }

  public int replayMaxRows() {
    return MAX_REPLAY_ROWS;
  }

  /** 0 when the tenant may go on, else the seconds to wait (answered as 429 with Retry-After). */
  public long acquire(String tenant) {
    return limiter.acquire(tenant);
  }
}
