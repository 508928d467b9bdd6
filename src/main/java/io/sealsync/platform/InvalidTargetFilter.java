package io.sealsync.platform;

import io.sealsync.agentstate.AgentStateFallbackFilter;
import io.sealsync.platform.errors.TraceRefusingServlet;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A request target that is no URI (a raw {@code {}, a bad escape in the query) or whose path
 * escapes are no UTF-8 is the client's mistake: {@code 400 invalid_request} in the {@code
 * {"error","message"}} envelope that row sync and the operator API share, where JAX-RS runtimes
 * fail with a 500 or a bare HTML 400. TRACE, which no route has, is {@code 405
 * method_not_allowed} in the same envelope. Agent-state paths get their protocol's answer from
 * {@link AgentStateFallbackFilter} instead.
 */
// Declared in web.xml (async, like the row-sync watch stream it lets through), so that it runs
// before the filters declared by annotations.
public class InvalidTargetFilter extends HttpFilter {
  private static final byte[] BODY =
      JsonFactory.object()
          .add("error", "invalid_request")
          .add("message", "the request target is not a valid URI")
          .build()
          .toString()
          .getBytes(StandardCharsets.UTF_8);

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    String rawPath = req.getRequestURI().substring(req.getContextPath().length());
    if (AgentStateFallbackFilter.covers(rawPath)) {
      chain.doFilter(req, res);
      return;
    }
    if (req.getMethod().equals("TRACE")) {
      // No route of this application has TRACE.
      TraceRefusingServlet.refuse(res);
      return;
    }
    if (RequestTargets.isValid(rawPath, req.getQueryString())
        && RequestTargets.hasUtf8Escapes(rawPath)) {
      chain.doFilter(req, res);
      return;
    }
    res.setStatus(400);
    res.setContentType("application/json");
    res.setContentLength(BODY.length);
    res.getOutputStream().write(BODY);
  }
}
