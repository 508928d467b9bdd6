package io.sealsync.agentstate;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;

/**
 * Agent ids are percent-decoded by the protocol's rules, where malformed UTF-8 is {@code 400
 * bad_agent_id}. JAX-RS refuses such URIs before any resource runs, with a bare 400; this filter
 * hands them to the dispatcher instead, so they get the protocol's answer (authentication first,
 * then the route's own error).
 */
@WebFilter(urlPatterns = {"/functions/*", "/v1/*", "/v2-agent-state/*", "/v2/*"})
public class UndecodablePathFilter extends HttpFilter {
  @Inject AgentStateDispatcher dispatcher;

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    String rawPath = req.getRequestURI().substring(req.getContextPath().length());
    if (AgentStateRoute.isDecodable(rawPath)) {
      chain.doFilter(req, res);
      return;
    }
    URI base = URI.create(req.getRequestURL().toString()).resolve(req.getContextPath() + "/");
    Response r =
        dispatcher.dispatch(
            new AgentStateRequest(
                req.getMethod(),
                rawPath,
                name -> null,
                base,
                req.getHeader(HttpHeaders.AUTHORIZATION),
                req.getHeader(HttpHeaders.CONTENT_LENGTH),
                req.getInputStream()));
    res.setStatus(r.getStatus());
    r.getStringHeaders().forEach((name, values) -> values.forEach(v -> res.addHeader(name, v)));
    if (r.getEntity() instanceof byte[] body) {
      res.setContentLength(body.length);
      res.getOutputStream().write(body);
    }
  }
}
