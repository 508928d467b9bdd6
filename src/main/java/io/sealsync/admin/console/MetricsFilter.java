package io.sealsync.admin.console;

import io.sealsync.agentstate.AgentStateRoute;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Counts, per minute, what the console charts and a request shows from outside: replicate requests
 * (any outcome), committed pushes (a push session's commit answered 2xx) and error responses by
 * status. Pulled rows are counted where the rows are read.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class MetricsFilter extends HttpFilter {
  @Inject ConsoleMetrics metrics;

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    try {
      chain.doFilter(req, res);
    } finally {
      count(req, res.getStatus());
    }
  }

  private void count(HttpServletRequest req, int status) {
    metrics.error(status);
    if (!"POST".equals(req.getMethod())) {
      return;
    }
    String path = req.getRequestURI().substring(req.getContextPath().length());
    if (path.endsWith("/replicate")
        && io.sealsync.agentstate.AgentStateFallbackFilter.covers(path)
        && isReplicate(path)) {
      metrics.count(ConsoleMetrics.Series.REPLICATE_REQUESTS, 1);
    } else if (status >= 200
        && status < 300
        && path.startsWith("/sync/push-sessions/")
        && path.endsWith("/commit")) {
      metrics.count(ConsoleMetrics.Series.PUSHED_BUNDLES, 1);
    }
  }

  private static boolean isReplicate(String path) {
    try {
      return AgentStateRoute.resolve("POST", path).endpoint() == AgentStateRoute.Endpoint.REPLICATE;
    } catch (RuntimeException notAgentState) {
      return false;
    }
  }
}
