package io.sealsync.platform.observability;

import io.sealsync.platform.JsonFactory;
import io.sealsync.platform.errors.TraceRefusingServlet;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /metrics} in Prometheus' text format. Operator authentication, when required, is
 * {@link io.sealsync.admin.OperatorAuthenticationFilter}'s, as for the operator API.
 */
@WebServlet(urlPatterns = "/metrics")
public class MetricsServlet extends TraceRefusingServlet {
  @Inject Metrics metrics;
  @Inject MetricsAccess access;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    RequestObservation.route("/metrics");
    if (access.hidden(req)) {
      RequestObservation.errorCode("operator", "not_found");
      res.setStatus(404);
      res.setContentType("application/json");
      res.getWriter()
          .write(
              JsonFactory.object()
                  .add("error", "not_found")
                  .add(
                      "message", "no metrics here (sealsync.metrics.access, sealsync.metrics.port)")
                  .build()
                  .toString());
      return;
    }
    res.setContentType(Metrics.CONTENT_TYPE);
    res.setHeader("Cache-Control", "no-store");
    metrics.scrape(res.getOutputStream());
  }
}
