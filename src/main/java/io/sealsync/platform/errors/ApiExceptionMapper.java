package io.sealsync.platform.errors;

import io.sealsync.platform.JsonFactory;
import io.sealsync.platform.db.DatabaseFailures;
import io.sealsync.platform.observability.RequestObservation;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The one error envelope for everything outside the wire protocols, which build their own. */
@Provider
public class ApiExceptionMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = Logger.getLogger(ApiExceptionMapper.class.getName());

  @Override
  public Response toResponse(Throwable t) {
    if (t instanceof ApiException e) {
      return body(e.status(), e.code(), e.getMessage());
    }
    if (t instanceof WebApplicationException e
        && (e.getResponse().getStatus() < 500
            || e.getResponse().getStatus() == 501
            || e.getResponse().getStatus() == 503)) {
      // A 503 raised on purpose (overload, shutdown) stays a 503 with its Retry-After; a 501 (a
      // method a servlet does not know, ErrorEnvelopeServlet) is an answer, not a fault.
      int status = e.getResponse().getStatus();
      String reason =
          Response.Status.fromStatusCode(status) != null
              ? Response.Status.fromStatusCode(status).getReasonPhrase()
              : "error";
      Response r = body(status, reason.toLowerCase(Locale.ROOT).replace(' ', '_'), reason);
      Object retryAfter = e.getResponse().getHeaders().getFirst("Retry-After");
      return retryAfter == null
          ? r
          : Response.fromResponse(r).header("Retry-After", retryAfter).build();
    }
    if (DatabaseFailures.isTransient(t)) {
      RequestObservation.cause("transient database failure: " + t);
      return Response.fromResponse(
              body(503, "service_unavailable", "the database is briefly unavailable; retry"))
          .header("Retry-After", DatabaseFailures.RETRY_AFTER_SECONDS)
          .build();
    }
    LOG.log(Level.SEVERE, "unexpected failure, request-id=" + RequestObservation.requestId(), t);
    return body(500, "internal_error", "unexpected server error; see the server log");
  }

  static Response body(int status, String code, String message) {
    RequestObservation.errorCode("operator", code);
    return Response.status(status)
        .type("application/json")
        .entity(JsonFactory.object().add("error", code).add("message", message).build().toString())
        .build();
  }
}
