package io.sealsync.admin.rowsync;

import io.sealsync.admin.audit.OperatorActions;
import io.sealsync.platform.JsonBodies;
import io.sealsync.platform.JsonFactory;
import io.sealsync.platform.db.DatabaseFailures;
import io.sealsync.platform.errors.ApiException;
import io.sealsync.platform.observability.Metrics;
import io.sealsync.rowsync.SyncError;
import io.sealsync.rowsync.SyncException;
import io.sealsync.rowsync.SyncIds;
import io.sealsync.rowsync.TransientSyncException;
import io.sealsync.rowsync.api.SyncBodies;
import io.sealsync.rowsync.codec.StagedRow;
import io.sealsync.rowsync.push.PushChunk;
import io.sealsync.rowsync.push.RowApplier;
import io.sealsync.rowsync.push.ServerWrites;
import io.sealsync.rowsync.schema.RegisteredTable;
import io.sealsync.rowsync.schema.RowSyncRuntime;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Server-originated writes for integrations (a CRM, a back office): a batch of row operations
 * applied to one user's scope as one bundle. Under {@code /admin}, so the container requires the
 * role {@code sealsync-admin}.
 */
@Path("admin/rowsync/users/{userId}/writes")
public class ServerWritesResource {

  @Inject ServerWrites writes;
  @Inject Metrics metrics;
  @Inject RowSyncRuntime runtime;
  @Inject OperatorActions actions; // the write and its audit record

  @POST
  public Response write(
      @PathParam("userId") String userId,
      InputStream in,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength) {
    try {
      return apply(userId, SyncBodies.read(in, contentLength));
    } catch (SyncException e) {
      // The protocol's own code, in the operator API's envelope.
      throw new ApiException(e.error().status(), e.error().code(), e.getMessage());
    } catch (TransientSyncException e) {
      // As every operator route answers a passing database failure: 503 with Retry-After.
      throw new WebApplicationException(
          e,
          Response.status(Response.Status.SERVICE_UNAVAILABLE)
              .header("Retry-After", DatabaseFailures.RETRY_AFTER_SECONDS)
              .build());
    }
  }

  /**
   * The body of a server write (rowsync.md §20.3): the writer, and rows checked as a push chunk.
   */
  record Request(String writerId, PushChunk chunk) {
    static Request parse(
        JsonObject body, BiFunction<String, String, Optional<RegisteredTable>> tables) {
      String writerId =
          body.get("writer_id") instanceof JsonString writer ? writer.getString().trim() : "";
      if (!SyncIds.storable(writerId)) {
        throw SyncError.INVALID_REQUEST.exception(
            "writer_id is required (1 to " + SyncIds.MAX_LENGTH + " characters), e.g. admin:crm");
      }
      // Same row rules as a client's push chunk; versions are the server's own, so no conflicts.
      return new Request(
          writerId,
          PushChunk.parse(JsonFactory.object(body).add("start_row_ordinal", 0).build(), tables));
    }
  }

  private Response apply(String userId, byte[] bytes) {
    JsonObject body =
        JsonBodies.parseObject(bytes)
            .orElseThrow(
                () -> SyncError.INVALID_REQUEST.exception("request body must be a JSON object"));
    if (!SyncIds.storable(userId)) {
      throw SyncError.INVALID_REQUEST.exception(
          "the user id must be 1 to " + SyncIds.MAX_LENGTH + " characters");
    }
    Request request = Request.parse(body, runtime.registry()::table);
    String writerId = request.writerId();
    PushChunk chunk = request.chunk();
    ServerWrites.ScopeWrite result =
        actions.run(
            "rowsync.server-write",
            "user " + userId,
            note ->
                writes.execWrite(
                    userId,
                    writerId,
                    c -> {
                      RowApplier.Batch batch = new RowApplier.Batch(c, userId);
                      for (StagedRow r : chunk.rows()) {
                        batch.add(r.table(), r.keyText(), r.op(), r.payloadApply());
                      }
                      batch.flush();
                      note.detail("writer " + writerId + ", " + chunk.rows().size() + " row(s)");
                    }));
    metrics.bundleCommitted(true, result.bundle().rowCount());
    StringBuilder sb =
        new StringBuilder("{\"scope_initialized\":").append(result.scopeInitialized());
    sb.append(",\"bundle\":{");
    result.bundle().writeMetadata(sb);
    sb.append(",\"rows\":[");
    for (int i = 0; i < result.bundle().rows().size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      result.bundle().rows().get(i).writeJson(sb);
    }
    return Response.ok(sb.append("]}}").toString(), "application/json").build();
  }
}
