package io.sealsync.platform.observability;

import jakarta.inject.Inject;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The first filter of every request (declared first in web.xml): gives it an id, returned in
 * {@value RequestObservation#REQUEST_ID_HEADER} (the trace id when tracing is on), opens its span,
 * and once it is answered records its metrics by route template and logs one line for a 5xx.
 * Expected client errors (every 4xx the protocols define) are counted, never logged.
 */
public class RequestObservationFilter extends HttpFilter {
  private static final Logger LOG = Logger.getLogger(RequestObservationFilter.class.getName());

  /** Methods outside these are labelled "other": the label's values stay few. */
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

  @Inject Metrics metrics;
  @Inject Tracing tracing;

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    long start = System.nanoTime();
    RequestSpan span = tracing.start(req);
    String id = span.traceId() != null ? span.traceId() : RequestObservation.randomId();
    RequestObservation observation = RequestObservation.open(id);
    res.setHeader(RequestObservation.REQUEST_ID_HEADER, id);
    try {
      chain.doFilter(req, res);
    } finally {
      RequestObservation.close();
      if (req.isAsyncStarted()) {
        // A watch stream: counted when it ends.
        req.getAsyncContext()
            .addListener(
                new AsyncListener() {
                  @Override
                  public void onComplete(AsyncEvent event) {
                    finish(req, res, observation, span, start);
                  }

                  @Override
                  public void onTimeout(AsyncEvent event) {}

                  @Override
                  public void onError(AsyncEvent event) {}

                  @Override
                  public void onStartAsync(AsyncEvent event) {}
                });
      } else {
        finish(req, res, observation, span, start);
      }
    }
  }

  private void finish(
      HttpServletRequest req,
      HttpServletResponse res,
      RequestObservation observation,
      RequestSpan span,
      long start) {
    int status = res.getStatus();
    String route = observation.route != null ? observation.route : fallbackRoute(req);
    String method = METHODS.contains(req.getMethod()) ? req.getMethod() : "other";
    metrics.request(route, method, status, System.nanoTime() - start);
    String code = observation.errorCode;
    if (code != null) {
      metrics.error(observation.api, code);
    }
    span.end(route, status, code);
    if (status >= 500) {
      LOG.warning(
          "answered "
              + status
              + " "
              + (code == null ? "-" : code)
              + " to "
              + method
              + " "
              + route
              + " request-id="
              + observation.requestId
              + (observation.cause == null ? "" : ": " + observation.cause));
    }
  }

  /** For a request no JAX-RS resource matched: its area, never its raw path. */
  static String fallbackRoute(HttpServletRequest req) {
    String path = req.getRequestURI().substring(req.getContextPath().length());
    int second = path.indexOf('/', 1);
    String first = second < 0 ? path : path.substring(0, second);
    return switch (first) {
      case "/admin", "/sync", "/syncx", "/console" -> first + "/**";
      case "/functions", "/v1", "/v2", "/v2-agent-state" -> "/v2-agent-state/**";
      case "/metrics" -> "/metrics";
      default -> "unmatched";
    };
  }
}
