package io.sealsync.rowsync.api;

import io.sealsync.platform.JsonBodies;
import io.sealsync.rowsync.SourceReplacement;
import io.sealsync.rowsync.SyncActor;
import io.sealsync.rowsync.SyncError;
import io.sealsync.rowsync.SyncIds;
import io.sealsync.rowsync.push.PushChunk;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** The JSON bodies of the row-sync routes, each parsed and checked by its own record. */
final class SyncRequests {
  private SyncRequests() {}

  /** {@code POST /sync/connect} (rowsync.md §6.2). */
  record Connect(boolean hasLocalPendingRows) {
    static Connect parse(JsonObject body) {
      JsonValue pending = body.get("has_local_pending_rows");
      if (pending != null
          && pending != JsonValue.NULL
          && pending != JsonValue.TRUE
          && pending != JsonValue.FALSE) {
        throw SyncError.INVALID_REQUEST.exception("has_local_pending_rows must be a boolean");
      }
      return new Connect(pending == JsonValue.TRUE);
    }
  }

  /** {@code POST /sync/push-sessions} (§8.1); an empty initialization id is none. */
  record CreatePushSession(long sourceBundleId, long plannedRowCount, String initializationId) {
    static CreatePushSession parse(JsonObject body) {
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
        // No lease was ever issued under an id that is no UUID.
        try {
          UUID.fromString(initializationId);
        } catch (IllegalArgumentException e) {
          throw SyncError.INITIALIZATION_STALE.exception(
              "initialization_id does not match the active lease");
        }
      }
      return new CreatePushSession(sourceBundleId, planned, initializationId);
    }
  }

  /** {@code POST /sync/snapshot-sessions} (§14.1): the body is optional. */
  record CreateSnapshotSession(SourceReplacement replacement) {
    static CreateSnapshotSession parse(byte[] bytes, SyncActor actor) {
      if (bytes.length == 0 || new String(bytes, StandardCharsets.UTF_8).isBlank()) {
        return new CreateSnapshotSession(null);
      }
      JsonObject body =
          JsonBodies.parseObject(bytes)
              .orElseThrow(
                  () ->
                      SyncError.SNAPSHOT_SESSION_INVALID.exception("body must be one JSON object"));
      for (String field : body.keySet()) {
        if (!field.equals("source_replacement")) {
          throw SyncError.SNAPSHOT_SESSION_INVALID.exception(
              "unknown field " + SyncIds.excerpt(field));
        }
      }
      JsonValue r = body.get("source_replacement");
      return new CreateSnapshotSession(
          r == null || r == JsonValue.NULL ? null : SourceReplacement.parse(r, actor));
    }
  }
}
