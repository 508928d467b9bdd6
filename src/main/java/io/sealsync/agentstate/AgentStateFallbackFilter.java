package io.sealsync.agentstate;

import io.sealsync.platform.RequestTargets;
import io.sealsync.platform.errors.ServletAnswers;
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
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Agent-state requests that JAX-RS cannot take at all are served from here instead, on the same
 * code path as in JAX-RS ({@link AgentStateGate}, the {@link AgentStateResource} method of the
 * route, {@link AgentStateErrors}), so they too get the protocol's answer:
 *
 * <ul>
 *   <li>paths with percent-escapes that are not UTF-8: the protocol's {@code 400 bad_agent_id}
 *       where JAX-RS answers a bare 400;
 *   <li>targets that are no URI at all (a raw {@code {}, a bad escape in the query), on which
 *       JAX-RS runtimes fail with a 500;
 *   <li>methods outside the standard seven (TRACE, PROPFIND, a lower-case {@code get}, …), which
 *       the servlet layers of the three runtimes do not all hand to JAX-RS, and which JAX-RS could
 *       not dispatch to a resource method after normalizing them (§2.2).
 * </ul>
 */
@WebFilter(
    urlPatterns = {"/functions/*", "/v1/*", "/v2-agent-state/*", "/v2/*"},
    asyncSupported = true)
public class AgentStateFallbackFilter extends HttpFilter {
  /** The methods that reach {@link AgentStateEntryFilter}, spelled as JAX-RS matches them. */
  private static final Set<String> RESOURCE_METHODS =
      Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");

  /** The methods the Fetch standard normalizes to upper case, as the reference server saw them. */
  private static final Set<String> NORMALIZED_METHODS =
      Set.of("DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT");

  @Inject AgentStateGate gate;
  @Inject AgentStateResource resource;
  @Inject AgentStateExchange exchange;

  /** Whether a path (after the context root) is under this filter's patterns. */
  public static boolean covers(String rawPath) {
    for (String prefix : new String[] {"/functions", "/v1", "/v2-agent-state", "/v2"}) {
      if (rawPath.equals(prefix) || rawPath.startsWith(prefix + "/")) {
        return true;
      }
    }
    return false;
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    String rawPath = req.getRequestURI().substring(req.getContextPath().length());
    String rawQuery = req.getQueryString();
    if (RESOURCE_METHODS.contains(req.getMethod())
        && AgentStateRoute.isDecodable(rawPath)
        && RequestTargets.isValid(rawPath, rawQuery)) {
      chain.doFilter(req, res);
      return;
    }
    String method = method(req.getMethod());
    Response r;
    try {
      AgentStateRoute route =
          gate.admit(
              new AgentStateRequest(
                  method,
                  rawPath,
                  name -> RequestTargets.queryParameter(rawQuery, name),
                  baseUri(req),
                  req.getHeader(HttpHeaders.AUTHORIZATION)));
      r = serve(route, req.getHeader(HttpHeaders.CONTENT_LENGTH), req.getInputStream());
    } catch (RuntimeException e) {
      r = AgentStateErrors.respond(e, exchange);
    }
    ServletAnswers.write(r, res, !method.equals("HEAD"));
  }

  /** The route's resource method, as JAX-RS would have called it. */
  private Response serve(AgentStateRoute route, String contentLength, InputStream body) {
    return switch (route.endpoint()) {
      case REPLICATE -> resource.replicate(contentLength, body);
      case HEAD -> resource.head();
      case REPLAY -> resource.replay();
      case CREATE_SNAPSHOT -> resource.createSnapshot(contentLength, body);
      case LATEST_SNAPSHOT -> resource.latest(route.rawAgent());
      case SNAPSHOT_AT_SEQUENCE -> resource.atSequence(route.rawAgent(), route.rawSequence());
      case LINEAGE -> resource.lineage(route.rawAgent());
      case RECEIPT_KEY -> resource.receiptKey();
    };
  }

  private static String method(String sent) {
    String upper = sent.toUpperCase(Locale.ROOT);
    return NORMALIZED_METHODS.contains(upper) ? upper : sent;
  }

  /** The application's base URI, built from parts: the request URL itself may be no URI. */
  private static URI baseUri(HttpServletRequest req) {
    try {
      return new URI(
          req.getScheme(),
          null,
          req.getServerName(),
          req.getServerPort(),
          req.getContextPath() + "/",
          null,
          null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("the server's own address is no URI", e);
    }
  }
}
