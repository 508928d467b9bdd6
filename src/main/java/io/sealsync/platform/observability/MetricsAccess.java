package io.sealsync.platform.observability;

import io.sealsync.platform.DeploymentMode;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Who may read {@code /metrics} ({@code sealsync.metrics.access}): {@code open} (the default in
 * development mode), {@code operator} (the default otherwise: the operator API's authentication,
 * HTTPS included) or {@code off}. With {@code sealsync.metrics.port} set, the metrics are served
 * only on connections to that local port, and there without authentication: the operator binds that
 * port to an interface only Prometheus reaches (docs/operating.md).
 */
@ApplicationScoped
public class MetricsAccess {
  private static final Logger LOG = Logger.getLogger(MetricsAccess.class.getName());

  enum Mode {
    OPEN,
    OPERATOR,
    OFF
  }

  private Mode mode;
  private int port;

  @PostConstruct
  void init() {
    Config config = ConfigProvider.getConfig();
    String configured =
        config
            .getOptionalValue("sealsync.metrics.access", String.class)
            .map(v -> v.strip().toUpperCase(Locale.ROOT))
            .orElse(DeploymentMode.development(config) ? "OPEN" : "OPERATOR");
    try {
      mode = Mode.valueOf(configured);
    } catch (IllegalArgumentException e) {
      LOG.severe(
          "sealsync.metrics.access="
              + configured
              + " is none of open, operator, off: /metrics is off");
      mode = Mode.OFF;
    }
    port = config.getOptionalValue("sealsync.metrics.port", Integer.class).orElse(0);
    LOG.info(
        "Metrics at /metrics: "
            + (mode == Mode.OFF
                ? "off"
                : (port > 0 ? "on port " + port + " only, " : "")
                    + (mode == Mode.OPEN || port > 0 ? "open" : "for operators")));
  }

  /** Whether this request may not see the metrics at all (answered 404). */
  public boolean hidden(HttpServletRequest req) {
    return mode == Mode.OFF || (port > 0 && req.getLocalPort() != port);
  }

  /** Whether this request may read them without the operator's credentials. */
  public boolean open(HttpServletRequest req) {
    return !hidden(req) && (mode == Mode.OPEN || port > 0);
  }
}
