package io.sealsync.rowsync;

import io.sealsync.platform.JsonBodies;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
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
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;

/**
 * The row-sync routes (rowsync.md §2). {@link SyncAuthenticationFilter} verifies the user's bearer
 * token before any of them runs; the scope of every row is that user.
 */
@Path("sync")
@ApplicationScoped
public class SyncResource {
  static final String JSON = "application/json";

  /**
   * Source ids are indexed (per user, with a bundle number), and a PostgreSQL index entry holds at
   * most about 2700 bytes; clients use UUIDs. Longer ids are refused before they reach an index.
   */
  static final int MAX_SOURCE_ID = 512;

  /**
   * Whether an id (of a user, a source, a writer) can be stored and indexed: not blank, at most
   * {@link #MAX_SOURCE_ID} characters, without U+0000, which no PostgreSQL text can hold.
   */
  static boolean storableId(String id) {
    return id != null && !id.isBlank() && id.length() <= MAX_SOURCE_ID && id.indexOf('\u0000') < 0;
  }

  /** A client's text as part of an error message: bounded, the answer need not echo megabytes. */
  static String excerpt(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }

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
    if (!storableId(source)) {
      throw SyncError.INVALID_REQUEST.exception(
          "Oversync-Source-ID is longer than " + MAX_SOURCE_ID + " characters");
    }
    Principal user = security.getUserPrincipal();
    if (user == null || user.getName() == null || user.getName().isEmpty()) {
      throw SyncError.AUTHENTICATION_FAILED.exception("authentication required");
    }
    // A validly signed token can still carry a user id no scope can be stored under.
    if (!storableId(user.getName())) {
      throw SyncError.INVALID_REQUEST.exception(
          "the token's user id must be at most " + MAX_SOURCE_ID + " characters, without U+0000");
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
    String id = pushSessionId(pushId);
    return ok(retries.transaction(() -> pushSessions.chunk(actor, id, chunk)));
  }

  @POST
  @Path("push-sessions/{pushId}/commit")
  public Response commit(@PathParam("pushId") String pushId) {
    SyncActor actor = actor();
    String id = pushSessionId(pushId);
    Bundle b = retries.transaction(() -> pushSessions.commit(actor, id));
    StringBuilder sb = new StringBuilder("{");
    b.writeMetadata(sb);
    return ok(sb.append('}').toString());
  }

  @DELETE
  @Path("push-sessions/{pushId}")
  public Response deletePushSession(@PathParam("pushId") String pushId) {
    SyncActor actor = actor();
    String id = pushSessionId(pushId);
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
    long seq = longParameter(bundleSeq, 0, SyncError.COMMITTED_BUNDLE_CHUNK_INVALID);
    if (seq <= 0) {
      throw invalidChunk("bundle_seq must be a positive integer");
    }
    long afterOrdinal = queryParameter(after, -1, SyncError.COMMITTED_BUNDLE_CHUNK_INVALID);
    if (after != null && !after.isEmpty() && afterOrdinal < 0) {
      throw invalidChunk("after_row_ordinal must be >= 0");
    }
    long max =
        queryParameter(
            maxRows, CommittedBundles.DEFAULT_ROWS, SyncError.COMMITTED_BUNDLE_CHUNK_INVALID);
    if (max <= 0) {
      throw invalidChunk("max_rows must be > 0");
    }
    int rows = (int) Math.min(max, CommittedBundles.MAX_ROWS);
    return ok(retries.transaction(() -> committedBundles.rows(actor, seq, afterOrdinal, rows)));
  }

  /**
   * An integer path parameter, or a query parameter once decoded; absent or empty is {@code
   * absent}, anything else {@code onBad}.
   */
  private static long longParameter(String value, long absent, SyncError onBad) {
    if (value == null || value.isEmpty()) {
      return absent;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw onBad.exception("not an integer: " + excerpt(value));
    }
  }

  /**
   * An integer query parameter, which arrives still encoded ({@link Encoded}): the runtime's own
   * decoding would refuse a bad escape anywhere in the query with an answer outside the protocol.
   */
  private static long queryParameter(String raw, long absent, SyncError onBad) {
    String value;
    try {
      value = raw == null ? null : URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException badEscape) {
      throw onBad.exception("not an integer: " + excerpt(raw));
    }
    return longParameter(value, absent, onBad);
  }

  private static final java.util.regex.Pattern SESSION_ID =
      java.util.regex.Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /**
   * A push or snapshot session id as the server issues them (a UUID, in either case); anything else
   * names no session. Strict, because UUID parsers differ: Java reads {@code 4c04efc-…} as {@code
   * 04c04efc-…}, PostgreSQL refuses it.
   */
  static String sessionId(String raw, SyncError notFound, String message) {
    if (raw == null || !SESSION_ID.matcher(raw).matches()) {
      throw notFound.exception(message);
    }
    return raw.toLowerCase(java.util.Locale.ROOT);
  }

  private static String pushSessionId(String raw) {
    return sessionId(raw, SyncError.PUSH_SESSION_NOT_FOUND, "push session not found");
  }

  /** A non-UUID snapshot id is 404 too, where the reference answers 500 (rowsync.md §24 row 7). */
  private static String snapshotSessionId(String raw) {
    return sessionId(raw, SyncError.SNAPSHOT_SESSION_NOT_FOUND, "snapshot session not found");
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
    long afterSeq = queryParameter(after, 0, SyncError.INVALID_REQUEST);
    long max = queryParameter(maxBundles, PullService.DEFAULT_BUNDLES, SyncError.INVALID_REQUEST);
    long targetSeq = queryParameter(target, 0, SyncError.INVALID_REQUEST);
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
    if (bytes.length > 0 && !new String(bytes, StandardCharsets.UTF_8).isBlank()) {
      JsonObject body =
          JsonBodies.parseObject(bytes)
              .orElseThrow(
                  () ->
                      SyncError.SNAPSHOT_SESSION_INVALID.exception("body must be one JSON object"));
      for (String field : body.keySet()) {
        if (!field.equals("source_replacement")) {
          throw SyncError.SNAPSHOT_SESSION_INVALID.exception("unknown field " + excerpt(field));
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
            "unknown field source_replacement." + excerpt(field));
      }
    }
    String previous = r.get("previous_source_id") instanceof JsonString s ? s.getString() : "";
    String next = r.get("new_source_id") instanceof JsonString s ? s.getString().trim() : "";
    String reason = r.get("reason") instanceof JsonString s ? s.getString() : "";
    if (!previous.equals(actor.sourceId())) {
      throw SyncError.SNAPSHOT_SESSION_INVALID.exception(
          "previous_source_id must be the Oversync-Source-ID");
    }
    // The other source id is the header's, already checked.
    if (!next.isEmpty() && !storableId(next)) {
      throw SyncError.SNAPSHOT_SESSION_INVALID.exception(
          "new_source_id must be at most " + MAX_SOURCE_ID + " characters, without U+0000");
    }
    if (next.isEmpty() || next.equals(previous)) {
      throw SyncError.SNAPSHOT_SESSION_INVALID.exception("new_source_id must be non-empty and new");
    }
    if (!REPLACEMENT_REASONS.contains(reason)) {
      throw SyncError.SNAPSHOT_SESSION_INVALID.exception("unsupported reason " + excerpt(reason));
    }
    return new SnapshotSessions.SourceReplacement(previous, next, reason);
  }

  @GET
  @Path("snapshot-sessions/{snapshotId}")
  public Response snapshotChunk(
      @PathParam("snapshotId") String snapshotId,
      @Encoded @QueryParam("after_row_ordinal") String after,
      @Encoded @QueryParam("max_rows") String maxRows) {
    SyncActor actor = actor();
    long afterOrdinal = queryParameter(after, 0, SyncError.SNAPSHOT_CHUNK_INVALID);
    long max =
        queryParameter(maxRows, SnapshotSessions.DEFAULT_ROWS, SyncError.SNAPSHOT_CHUNK_INVALID);
    if (afterOrdinal < 0 || max <= 0) {
      throw SyncError.SNAPSHOT_CHUNK_INVALID.exception(
          "after_row_ordinal must be >= 0 and max_rows > 0");
    }
    String id = snapshotSessionId(snapshotId);
    int rows = (int) Math.min(max, SnapshotSessions.MAX_ROWS);
    return ok(retries.transaction(() -> snapshots.chunk(actor, id, afterOrdinal, rows)));
  }

  @DELETE
  @Path("snapshot-sessions/{snapshotId}")
  public Response deleteSnapshot(@PathParam("snapshotId") String snapshotId) {
    SyncActor actor = actor();
    String id = snapshotSessionId(snapshotId);
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
    long afterSeq = queryParameter(after, 0, SyncError.INVALID_REQUEST);
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
