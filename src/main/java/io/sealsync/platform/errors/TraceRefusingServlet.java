package io.sealsync.platform.errors;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.WebApplicationException;
import java.io.IOException;

/**
 * The base of the application's servlets: TRACE, which none of them has, is {@code 405
 * method_not_allowed} in the envelope ({@link ApiExceptionMapper}). The default would echo the
 * request; and OpenLiberty refuses TRACE to a servlet that keeps the default with an HTML 403
 * before any filter runs, so that {@code io.sealsync.platform.InvalidTargetFilter} could not answer
 * it.
 */
public abstract class TraceRefusingServlet extends HttpServlet {
  private static final ApiExceptionMapper NOT_ALLOWED = new ApiExceptionMapper();

  @Override
  protected void doTrace(HttpServletRequest req, HttpServletResponse res) throws IOException {
    refuse(res);
  }

  /** The answer to TRACE, also for the filter that answers it before any servlet. */
  public static void refuse(HttpServletResponse res) throws IOException {
    ServletAnswers.write(NOT_ALLOWED.toResponse(new WebApplicationException(405)), res, true);
  }
}
