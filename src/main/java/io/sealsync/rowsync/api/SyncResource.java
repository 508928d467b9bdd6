package io.sealsync.rowsync.api;

import io.sealsync.platform.JsonBodies;
import io.sealsync.platform.observability.Metrics;
import io.sealsync.rowsync.SyncActor;
import io.sealsync.rowsync.SyncError;
import io.sealsync.rowsync.SyncException;
import io.sealsync.rowsync.SyncIds;
import io.sealsync.rowsync.SyncRetries;
import io.sealsync.rowsync.codec.Bundle;
import io.sealsync.rowsync.push.ConnectService;
import io.sealsync.rowsync.push.PushChunk;
import io.sealsync.rowsync.push.PushSessionService;
import io.sealsync.rowsync.read.CommittedBundles;
import io.sealsync.rowsync.read.PullService;
import io.sealsync.rowsync.read.SnapshotSessions;
import io.sealsync.rowsync.schema.RowSyncRuntime;
import io.sealsync.rowsync.watch.BundleChangeListener;
import io.sealsync.rowsync.watch.WatchHub;
import io.sealsync.rowsync.watch.WatchScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
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
 * The row-sync routes (rowsync.md §2). {@link SyncAuthenticationFilter} verifies the user's bearer
 * token before any of them runs; the scope of every row is that user.
 */
@Path("sync")
@ApplicationScoped
public class SyncResource {
  static final String JSON = "application/json";

  @Inject Metrics metrics;
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

  // Context proxies, not per-request fields: one instance serves every request.
  @Context SecurityContext security;

  @Context HttpHeaders headers;

  /** The actor of §3: the header is required, then a user. */
  SyncActor actor() {
    String sourceHeader = headers.getHeaderString("Oversync-Source-ID");
    String source = sourceHeader == null ? "" : sourceHeader.trim();
    if (source.isEmpty()) {
      throw SyncError.INVALID_REQUEST.exception("Oversync-Source-ID header is required");
    }
    if (!SyncIds.storable(source)) {
      throw SyncError.INVALID_REQUEST.exception(
          "Oversync-Source-ID is longer than " + SyncIds.MAX_LENGTH + " characters");
    }
    Principal user = security.getUserPrincipal();
    if (user == null || user.getName() == null || user.getName().isEmpty()) {
      throw SyncError.AUTHENTICATION_FAILED.exception("authentication required");
    }
    // A validly signed token can still carry a user id no scope can be stored under.
    if (!SyncIds.storable(user.getName())) {
      throw SyncError.INVALID_REQUEST.exception(
          "the token's user id must be at most "
              + SyncIds.MAX_LENGTH
              + " characters, without U+0000");
    }
    return new SyncActor(user.getName(), source);
  }

  private byte[] bytes(InputStream in) {
    return SyncBodies.read(in, headers.getHeaderString(HttpHeaders.CONTENT_LENGTH));
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
    SyncRequests.Connect request = SyncRequests.Connect.parse(body(in));
    return ok(
        retries
            .transaction(() -> connect.connect(actor, request.hasLocalPendingRows()))
            .toString());
  }

  @POST
  @Path("push-sessions")
  public Response createPushSession(InputStream in) {
    SyncActor actor = actor();
    SyncRequests.CreatePushSession r = SyncRequests.CreatePushSession.parse(body(in));
    return ok(
        retries.transaction(
            () ->
                pushSessions.create(
                    actor, r.sourceBundleId(), r.plannedRowCount(), r.initializationId())));
  }

  @POST
  @Path("push-sessions/{pushId}/chunks")
  public Response uploadChunk(@PathParam("pushId") String pushId, InputStream in) {
    SyncActor actor = actor();
    PushChunk chunk = PushChunk.parse(body(in), runtime.registry()::table);
    String id = SyncParameters.pushSessionId(pushId);
    return ok(retries.transaction(() -> pushSessions.chunk(actor, id, chunk)));
  }

  @POST
  @Path("push-sessions/{pushId}/commit")
  public Response commit(@PathParam("pushId") String pushId) {
    SyncActor actor = actor();
    String id = SyncParameters.pushSessionId(pushId);
    Bundle b = retries.transaction(() -> pushSessions.commit(actor, id));
    metrics.bundleCommitted(false, b.rowCount());
    StringBuilder sb = new StringBuilder("{");
    b.writeMetadata(sb);
    return ok(sb.append('}').toString());
  }

  @DELETE
  @Path("push-sessions/{pushId}")
  public Response deletePushSession(@PathParam("pushId") String pushId) {
    SyncActor actor = actor();
    String id = SyncParameters.pushSessionId(pushId);
    retries.run(() -> pushSessions.delete(actor, id));
    return Response.noContent().build();
  }

  @GET
  @Path("committed-bundles/{bundleSeq}/rows")
  public Response committedRows(
      @PathParam("bundleSeq") String bundleSeq,
      @Encoded @QueryParam("after_row_ordinal") String after,
      @Encoded @QueryParam("max_rows") String maxRows) {
    SyncActor actor = actor();
    long seq = SyncParameters.integer(bundleSeq, 0, SyncError.COMMITTED_BUNDLE_CHUNK_INVALID);
    if (seq <= 0) {
      throw invalidChunk("bundle_seq must be a positive integer");
    }
    long afterOrdinal = SyncParameters.query(after, -1, SyncError.COMMITTED_BUNDLE_CHUNK_INVALID);
    if (after != null && !after.isEmpty() && afterOrdinal < 0) {
      throw invalidChunk("after_row_ordinal must be >= 0");
    }
    long max =
        SyncParameters.query(
            maxRows, CommittedBundles.DEFAULT_ROWS, SyncError.COMMITTED_BUNDLE_CHUNK_INVALID);
    if (max <= 0) {
      throw invalidChunk("max_rows must be > 0");
    }
    int rows = (int) Math.min(max, CommittedBundles.MAX_ROWS);
    return ok(retries.transaction(() -> committedBundles.rows(actor, seq, afterOrdinal, rows)));
  }

  private static SyncException invalidChunk(String message) {
    return SyncError.COMMITTED_BUNDLE_CHUNK_INVALID.exception(message);
  }

  @GET
  @Path("pull")
  public Response pull(
      @Encoded @QueryParam("after_bundle_seq") String after,
      @Encoded @QueryParam("max_bundles") String maxBundles,
      @Encoded @QueryParam("target_bundle_seq") String target) {
    SyncActor actor = actor();
    long afterSeq = SyncParameters.query(after, 0, SyncError.INVALID_REQUEST);
    long max =
        SyncParameters.query(maxBundles, PullService.DEFAULT_BUNDLES, SyncError.INVALID_REQUEST);
    long targetSeq = SyncParameters.query(target, 0, SyncError.INVALID_REQUEST);
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

  @POST
  @Path("snapshot-sessions")
  public Response createSnapshot(InputStream in) {
    SyncActor actor = actor();
    SyncRequests.CreateSnapshotSession r =
        SyncRequests.CreateSnapshotSession.parse(bytes(in), actor);
    return ok(retries.transaction(() -> snapshots.create(actor, r.replacement())));
  }

  @GET
  @Path("snapshot-sessions/{snapshotId}")
  public Response snapshotChunk(
      @PathParam("snapshotId") String snapshotId,
      @Encoded @QueryParam("after_row_ordinal") String after,
      @Encoded @QueryParam("max_rows") String maxRows) {
    SyncActor actor = actor();
    long afterOrdinal = SyncParameters.query(after, 0, SyncError.SNAPSHOT_CHUNK_INVALID);
    long max =
        SyncParameters.query(
            maxRows, SnapshotSessions.DEFAULT_ROWS, SyncError.SNAPSHOT_CHUNK_INVALID);
    if (afterOrdinal < 0 || max <= 0) {
      throw SyncError.SNAPSHOT_CHUNK_INVALID.exception(
          "after_row_ordinal must be >= 0 and max_rows > 0");
    }
    String id = SyncParameters.snapshotSessionId(snapshotId);
    int rows = (int) Math.min(max, SnapshotSessions.MAX_ROWS);
    return ok(retries.transaction(() -> snapshots.chunk(actor, id, afterOrdinal, rows)));
  }

  @DELETE
  @Path("snapshot-sessions/{snapshotId}")
  public Response deleteSnapshot(@PathParam("snapshotId") String snapshotId) {
    SyncActor actor = actor();
    String id = SyncParameters.snapshotSessionId(snapshotId);
    retries.run(() -> snapshots.delete(actor, id));
    return Response.noContent().build();
  }

  @GET
  @Path("watch")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void watch(
      @Encoded @QueryParam("after_bundle_seq") String after,
      @Context SseEventSink sink,
      @Context Sse sse,
      @Context HttpServletResponse response) {
    SyncActor actor = actor();
    long afterSeq = SyncParameters.query(after, 0, SyncError.INVALID_REQUEST);
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
