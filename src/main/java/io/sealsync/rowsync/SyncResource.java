package io.sealsync.rowsync;

import io.sealsync.platform.JsonBodies;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.InputStream;
import java.security.Principal;

/**
 * The row-sync routes (rowsync.md §2). The container authenticates the user (any realm the server
 * has, MicroProfile JWT by default); the scope of every row is that user.
 */
@Path("sync")
public class SyncResource {
  static final String JSON = "application/json";

  @Inject ConnectService connect;
  @Inject PushSessionService pushSessions;
  @Inject SyncRetries retries;
  @Inject CommittedBundles committedBundles;
  @Inject PullService pull;
  @Inject SnapshotSessions snapshots;
  @Inject BundleChangeListener listener;
  @Inject WatchHub hub;
  @Inject WatchScope watchScope;
  @Inject SyncCounters counters;
  @Inject SyncCapabilities capabilities;
  @Inject RowSyncRuntime runtime;

  @Context SecurityContext security;

  @HeaderParam("Oversync-Source-ID")
  String sourceHeader;

  @HeaderParam(HttpHeaders.CONTENT_LENGTH)
  String contentLength;

  /** The actor of §3: the header is required, then a user. */
  SyncActor actor() {
    String source = sourceHeader == null ? "" : sourceHeader.trim();
    if (source.isEmpty()) {
      throw SyncError.INVALID_REQUEST.exception("Oversync-Source-ID header is required");
    }
    Principal user = security.getUserPrincipal();
    if (user == null || user.getName() == null || user.getName().isEmpty()) {
      throw SyncError.AUTHENTICATION_FAILED.exception("authentication required");
    }
    return new SyncActor(user.getName(), source);
  }

  private byte[] bytes(InputStream in) {
    return SyncBodies.read(in, contentLength);
  }

  private JsonObject body(InputStream in) {
    return JsonBodies.parseObject(bytes(in))
        .orElseThrow(
            () -> SyncError.INVALID_REQUEST.exception("request body must be a JSON object"));
  }

  private static Response ok(String json) {
    return Response.ok(json, JSON).build();
  }

  @POST
  @Path("connect")
  public Response connect(InputStream in) {
    SyncActor actor = actor();
    JsonObject body = body(in);
    JsonValue pending = body.get("has_local_pending_rows");
    if (pending != null
        && pending != JsonValue.NULL
        && pending != JsonValue.TRUE
        && pending != JsonValue.FALSE) {
      throw SyncError.INVALID_REQUEST.exception("has_local_pending_rows must be a boolean");
    }
    return ok(
        retries.transaction(() -> connect.connect(actor, pending == JsonValue.TRUE)).toString());
  }

  @POST
  @Path("push-sessions")
  public Response createPushSession(InputStream in) {
    SyncActor actor = actor();
    JsonObject body = body(in);
    long sourceBundleId = PushChunk.int64(body.get("source_bundle_id"));
    long planned = PushChunk.int64(body.get("planned_row_count"));
    JsonValue init = body.get("initialization_id");
    if (init != null && init != JsonValue.NULL && !(init instanceof JsonString)) {
      throw SyncError.INVALID_REQUEST.exception("initialization_id must be a string");
    }
    if (sourceBundleId <= 0) {
      throw SyncError.PUSH_SESSION_INVALID.exception("source_bundle_id must be > 0");
    }
    if (planned <= 0) {
      throw SyncError.PUSH_SESSION_INVALID.exception("planned_row_count must be > 0");
    }
    String initializationId = init instanceof JsonString s ? s.getString() : null;
    if (initializationId != null && !initializationId.isEmpty()) {
      try {
        java.util.UUID.fromString(initializationId);
      } catch (IllegalArgumentException e) {
        throw SyncError.INITIALIZATION_STALE.exception(
            "initialization_id does not match the active lease");
      }
    }
    return ok(
        retries.transaction(
            () -> pushSessions.create(actor, sourceBundleId, planned, initializationId)));
  }

  @POST
  @Path("push-sessions/{pushId}/chunks")
  public Response uploadChunk(@PathParam("pushId") String pushId, InputStream in) {
    SyncActor actor = actor();
    PushChunk chunk = PushChunk.parse(body(in), runtime.registry()::table);
    return ok(retries.transaction(() -> pushSessions.chunk(actor, pushId, chunk)));
  }

  @POST
  @Path("push-sessions/{pushId}/commit")
  public Response commit(@PathParam("pushId") String pushId) {
    SyncActor actor = actor();
    Bundle b = retries.transaction(() -> pushSessions.commit(actor, pushId));
    StringBuilder sb = new StringBuilder("{");
    b.writeMetadata(sb);
    return ok(sb.append('}').toString());
  }

  @DELETE
  @Path("push-sessions/{pushId}")
  public Response deletePushSession(@PathParam("pushId") String pushId) {
    SyncActor actor = actor();
    retries.run(() -> pushSessions.delete(actor, pushId));
    return Response.noContent().build();
  }

  @GET
  @Path("committed-bundles/{bundleSeq}/rows")
  public Response committedRows(
      @PathParam("bundleSeq") String bundleSeq,
      @QueryParam("after_row_ordinal") String after,
      @QueryParam("max_rows") String maxRows) {
    SyncActor actor = actor();
    long seq = longParameter(bundleSeq, 0, SyncError.COMMITTED_BUNDLE_CHUNK_INVALID);
    if (seq <= 0) {
      throw invalidChunk("bundle_seq must be a positive integer");
    }
    long afterOrdinal = longParameter(after, -1, SyncError.COMMITTED_BUNDLE_CHUNK_INVALID);
    if (after != null && !after.isEmpty() && afterOrdinal < 0) {
      throw invalidChunk("after_row_ordinal must be >= 0");
    }
    long max =
        longParameter(
            maxRows, CommittedBundles.DEFAULT_ROWS, SyncError.COMMITTED_BUNDLE_CHUNK_INVALID);
    if (max <= 0) {
      throw invalidChunk("max_rows must be > 0");
    }
    int rows = (int) Math.min(max, CommittedBundles.MAX_ROWS);
    return ok(retries.transaction(() -> committedBundles.rows(actor, seq, afterOrdinal, rows)));
  }

  /**
   * An integer query or path parameter; absent or empty is {@code absent}, anything else {@code
   * onBad}.
   */
  private static long longParameter(String raw, long absent, SyncError onBad) {
    if (raw == null || raw.isEmpty()) {
      return absent;
    }
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw onBad.exception("not an integer: " + raw);
    }
  }

  private static SyncException invalidChunk(String message) {
    return SyncError.COMMITTED_BUNDLE_CHUNK_INVALID.exception(message);
  }

  @GET
  @Path("pull")
  public Response pull(
      @QueryParam("after_bundle_seq") String after,
      @QueryParam("max_bundles") String maxBundles,
      @QueryParam("target_bundle_seq") String target) {
    SyncActor actor = actor();
    long afterSeq = longParameter(after, 0, SyncError.INVALID_REQUEST);
    long max = longParameter(maxBundles, PullService.DEFAULT_BUNDLES, SyncError.INVALID_REQUEST);
    long targetSeq = longParameter(target, 0, SyncError.INVALID_REQUEST);
    if (afterSeq < 0 || targetSeq < 0 || max < 1 || max > PullService.MAX_BUNDLES) {
      throw SyncError.INVALID_REQUEST.exception(
          "after_bundle_seq and target_bundle_seq must be >= 0, max_bundles within [1, "
              + PullService.MAX_BUNDLES
              + "]");
    }
    try {
      return ok(retries.transaction(() -> pull.pull(actor, afterSeq, (int) max, targetSeq)));
    } catch (SyncException e) {
      if (e.error() == SyncError.HISTORY_PRUNED) {
        counters.historyPruned();
      }
      throw e;
    }
  }

  private static final java.util.Set<String> REPLACEMENT_REASONS =
      java.util.Set.of(
          "history_pruned",
          "source_sequence_out_of_order",
          "source_sequence_changed",
          "source_retired");

  @POST
  @Path("snapshot-sessions")
  public Response createSnapshot(InputStream in) {
    SyncActor actor = actor();
    byte[] bytes = bytes(in);
    SnapshotSessions.SourceReplacement replacement = null;
    if (bytes.length > 0 && !new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
      JsonObject body =
          JsonBodies.parseObject(bytes)
              .orElseThrow(
                  () ->
                      SyncError.SNAPSHOT_SESSION_INVALID.exception("body must be one JSON object"));
      for (String field : body.keySet()) {
        if (!field.equals("source_replacement")) {
          throw SyncError.SNAPSHOT_SESSION_INVALID.exception("unknown field " + field);
        }
      }
      JsonValue r = body.get("source_replacement");
      if (r != null && r != JsonValue.NULL) {
        replacement = replacement(r, actor);
      }
    }
    SnapshotSessions.SourceReplacement requested = replacement;
    return ok(retries.transaction(() -> snapshots.create(actor, requested)));
  }

  private static SnapshotSessions.SourceReplacement replacement(JsonValue value, SyncActor actor) {
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      throw SyncError.SNAPSHOT_SESSION_INVALID.exception("source_replacement must be an object");
    }
    JsonObject r = value.asJsonObject();
    for (String field : r.keySet()) {
      if (!java.util.Set.of("previous_source_id", "new_source_id", "reason").contains(field)) {
        throw SyncError.SNAPSHOT_SESSION_INVALID.exception(
            "unknown field source_replacement." + field);
      }
    }
    String previous = r.get("previous_source_id") instanceof JsonString s ? s.getString() : "";
    String next = r.get("new_source_id") instanceof JsonString s ? s.getString().trim() : "";
    String reason = r.get("reason") instanceof JsonString s ? s.getString() : "";
    if (!previous.equals(actor.sourceId())) {
      throw SyncError.SNAPSHOT_SESSION_INVALID.exception(
          "previous_source_id must be the Oversync-Source-ID");
    }
    if (next.isEmpty() || next.equals(previous)) {
      throw SyncError.SNAPSHOT_SESSION_INVALID.exception("new_source_id must be non-empty and new");
    }
    if (!REPLACEMENT_REASONS.contains(reason)) {
      throw SyncError.SNAPSHOT_SESSION_INVALID.exception("unsupported reason " + reason);
    }
    return new SnapshotSessions.SourceReplacement(previous, next, reason);
  }

  @GET
  @Path("snapshot-sessions/{snapshotId}")
  public Response snapshotChunk(
      @PathParam("snapshotId") String snapshotId,
      @QueryParam("after_row_ordinal") String after,
      @QueryParam("max_rows") String maxRows) {
    SyncActor actor = actor();
    long afterOrdinal = longParameter(after, 0, SyncError.SNAPSHOT_CHUNK_INVALID);
    long max =
        longParameter(maxRows, SnapshotSessions.DEFAULT_ROWS, SyncError.SNAPSHOT_CHUNK_INVALID);
    if (afterOrdinal < 0 || max <= 0) {
      throw SyncError.SNAPSHOT_CHUNK_INVALID.exception(
          "after_row_ordinal must be >= 0 and max_rows > 0");
    }
    int rows = (int) Math.min(max, SnapshotSessions.MAX_ROWS);
    return ok(retries.transaction(() -> snapshots.chunk(actor, snapshotId, afterOrdinal, rows)));
  }

  @DELETE
  @Path("snapshot-sessions/{snapshotId}")
  public Response deleteSnapshot(@PathParam("snapshotId") String snapshotId) {
    SyncActor actor = actor();
    retries.run(() -> snapshots.delete(actor, snapshotId));
    return Response.noContent().build();
  }

  @GET
  @Path("watch")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void watch(
      @QueryParam("after_bundle_seq") String after,
      @Context SseEventSink sink,
      @Context Sse sse,
      @Context HttpServletResponse response) {
    SyncActor actor = actor();
    long afterSeq = longParameter(after, 0, SyncError.INVALID_REQUEST);
    if (afterSeq < 0) {
      throw SyncError.INVALID_REQUEST.exception("after_bundle_seq must be >= 0");
    }
    if (!listener.listening()) {
      throw SyncError.BUNDLE_CHANGE_WATCH_DISABLED.exception(
          "bundle change watch is not available");
    }
    long[] scope = watchScope.check(actor);
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("X-Accel-Buffering", "no");
    WatchHub.Subscriber subscriber = hub.subscribe(scope[0], sink, sse, afterSeq);
    // The first frame flushes the headers: an event when the client is behind, else a heartbeat.
    if (scope[1] > afterSeq) {
      subscriber.offer(new WatchHub.Event(scope[0], scope[1], null, null));
    } else {
      subscriber.heartbeat();
    }
  }

  @GET
  @Path("capabilities")
  public Response capabilities() {
    actor();
    return ok(capabilities.capabilities().toString());
  }
}
