package io.sealsync.platform.errors;

import io.sealsync.agentstate.AgentStateErrors;
import io.sealsync.agentstate.AgentStateFallbackFilter;
import io.sealsync.rowsync.api.SyncAuthenticationFilter;
import io.sealsync.rowsync.api.SyncExceptionMapper;
import io.sealsync.security.UserTokens;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;

/**
 * The application's error page (web.xml {@code <error-page>}): what the application server refuses
 * itself once it has chosen this application, before or around the application's own code (a failed
 * container sign-in, a servlet's default TRACE or unknown method, a failure no filter caught), is
 * answered here in the envelope of the protocol its path belongs to, rendered by that protocol's
 * own renderer: agent state by {@link AgentStateErrors}, row sync by {@link SyncExceptionMapper}
 * (404, 405 and the like as the other APIs), everything else by {@link ApiExceptionMapper}.
 * Refusals before the server has chosen an application never get here (docs/operating.md, "Error
 * answers").
 */
@WebServlet(urlPatterns = ErrorEnvelopeServlet.PATH)
public class ErrorEnvelopeServlet extends TraceRefusingServlet {
  /** The error page's location in web.xml. */
  static final String PATH = "/error-envelope";

  private static final ApiExceptionMapper OTHERS = new ApiExceptionMapper();

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    Object status = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    Object uri = req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    Throwable failure = (Throwable) req.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    int code = status instanceof Integer s ? s : 404; // requested directly: no such route
    String rawUri = uri instanceof String u ? u : req.getRequestURI();
    String rawPath =
        rawUri.startsWith(req.getContextPath())
            ? rawUri.substring(req.getContextPath().length())
            : rawUri;
    ServletAnswers.write(
        answer(rawPath, code, failure, req.getHeader("Authorization")),
        res,
        !"HEAD".equals(req.getMethod()));
  }

  static Response answer(String rawPath, int status, Throwable failure, String authorization) {
    if (AgentStateFallbackFilter.covers(rawPath)) {
      return AgentStateErrors.forStatus(status);
    }
    if (rawPath.equals("/sync")
        || rawPath.startsWith("/sync/")
        || rawPath.equals("/syncx")
        || rawPath.startsWith("/syncx/")) {
      if (status == 401) {
        // The server's own sign-in refused the credentials: they were no bearer token.
        return SyncAuthenticationFilter.refused(
            authorization == null || authorization.isBlank()
                ? UserTokens.Refusal.MISSING
                : UserTokens.Refusal.MALFORMED);
      }
      Response r = SyncExceptionMapper.forStatus(status);
      if (r != null) {
        return r;
      }
    }
    // A failure the server answered with a 4xx (OpenLiberty: a missing file is a 404) keeps it.
    return OTHERS.toResponse(
        failure != null && status >= 500 ? failure : new WebApplicationException(status));
  }
}
