package io.sealsync.rowsync.api;

import io.sealsync.platform.db.DatabaseFailures;
import io.sealsync.platform.observability.RequestObservation;
import io.sealsync.rowsync.TransientSyncException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A transient failure that outlived its retries: 503 with {@code Retry-After} (rowsync.md §4.4: the
 * clients retry 503 and fail closed on 500), in the row-sync envelope with the route's code.
 */
@Provider
public class TransientSyncExceptionMapper implements ExceptionMapper<TransientSyncException> {

  @Override
  public Response toResponse(TransientSyncException e) {
    RequestObservation.cause("transient database failure: " + e.getMessage());
    return Response.fromResponse(
            SyncExceptionMapper.toResponse(
                e.failed(), "the database is briefly unavailable; retry", null))
        .status(503)
        .header("Retry-After", DatabaseFailures.RETRY_AFTER_SECONDS)
        .build();
  }
}
