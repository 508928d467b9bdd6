package io.sealsync.agentstate;

import io.sealsync.platform.RateLimiter;
import io.sealsync.platform.config.FeatureSettings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * The agent-state protocol's limits: {@link AgentStateSettings} from MicroProfile Config, checked
 * when the application starts (a bad value stops the deployment), and the per-tenant rate limiter
 * built from them.
 */
@ApplicationScoped
public class AgentStateLimits {
  private static final Logger LOG = Logger.getLogger(AgentStateLimits.class.getName());

  /** The protocol's page size (§7); no byte budget unless the client asks for one (D9). */
  static final int MAX_REPLAY_ROWS = 1000;

  private AgentStateSettings settings;
  private RateLimiter limiter;

  @PostConstruct
  void init() {
    settings = FeatureSettings.read("Agent state", AgentStateSettings::read);
    limiter =
        new RateLimiter(
            settings.ratePerSecond(),
            settings.rateBurst(),
            settings.rateLimitTenants(),
            System::nanoTime);
  }

  /** Reads the settings at start, so that a bad value stops the deployment, not the first call. */
  void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    LOG.info(
        "Agent state: request bodies up to "
            + settings.maxRequestBytes()
            + " bytes, ciphertext URLs valid "
            + settings.ciphertextUrlTtl().toSeconds()
            + " s, rate limit "
            + (settings.ratePerSecond() > 0
                ? settings.ratePerSecond() + "/s (burst " + settings.rateBurst() + ") per tenant"
                : "off"));
  }

  public long maxRequestBytes() {
    return settings.maxRequestBytes();
  }

  public Duration ciphertextUrlTtl() {
    return settings.ciphertextUrlTtl();
  }

  public int replayMaxRows() {
    return MAX_REPLAY_ROWS;
  }

  /** 0 when the tenant may go on, else the seconds to wait (answered as 429 with Retry-After). */
  public long acquire(String tenant) {
    return limiter.acquire(tenant);
  }
}
