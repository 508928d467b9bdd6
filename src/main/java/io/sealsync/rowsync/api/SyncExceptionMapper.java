package io.sealsync.rowsync.api;

import io.sealsync.platform.JsonFactory;
import io.sealsync.platform.observability.RequestObservation;
import io.sealsync.rowsync.SyncError;
import io.sealsync.rowsync.SyncException;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** The row-sync error envelope (rowsync.md §4.1): every row-sync error is rendered here. */
@Provider
public class SyncExceptionMapper implements ExceptionMapper<SyncException> {
  @Override
  public Response toResponse(SyncException e) {
    return toResponse(e.error(), e.getMessage(), e);
  }

  /**
   * The protocol's answer to a request the application server refused with {@code status} before
   * any row-sync code ran (io.sealsync.platform.errors.ErrorEnvelopeServlet), or null where row
   * sync answers as the other APIs do (404, 405 and the like, rowsync.md §3.2) or, for a 401, as
   * {@link SyncAuthenticationFilter} does.
   */
  public static Response forStatus(int status) {
    SyncError error =
        switch (status) {
          case 400 -> SyncError.INVALID_REQUEST;
          case 503 -> SyncError.SERVICE_UNAVAILABLE;
          default -> null;
        };
    return error == null
        ? null
        : toResponse(error, "the request was refused before it reached row sync", null);
  }

  static Response toResponse(SyncError error, String message, SyncException e) {
    RequestObservation.errorCode("rowsync", error.code());
    JsonObjectBuilder b =
        JsonFactory.object()
            .add("error", error.code())
            .add("message", message == null ? "" : message);
    if (e != null && e.extra() != null) {
      e.extra().forEach(b::add);
    }
    return Response.status(error.status())
        .type("application/json")
        .entity(b.build().toString())
        .build();
  }
}
