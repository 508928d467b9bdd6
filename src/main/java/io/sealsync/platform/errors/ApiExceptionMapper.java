package io.sealsync.platform.errors;

import jakarta.json.Json;
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
    if (t instanceof WebApplicationException e && e.getResponse().getStatus() < 500) {
      int status = e.getResponse().getStatus();
      String reason =
          Response.Status.fromStatusCode(status) != null
              ? Response.Status.fromStatusCode(status).getReasonPhrase()
              : "error";
      return body(status, reason.toLowerCase(Locale.ROOT).replace(' ', '_'), reason);
    }
    LOG.log(Level.SEVERE, "unexpected failure", t);
    return body(500, "internal_error", "unexpected server error; see the server log");
  }

  static Response body(int status, String code, String message) {
    return Response.status(status)
        .type("application/json")
        .entity(
            Json.createObjectBuilder()
                .add("error", code)
                .add("message", message)
                .build()
                .toString())
        .build();
  }
}
