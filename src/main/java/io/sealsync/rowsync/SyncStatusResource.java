package io.sealsync.rowsync;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Unauthenticated status and health of the sync service (rowsync.md §16.2). */
@Path("syncx")
public class SyncStatusResource {
  private static final Logger LOG = Logger.getLogger(SyncStatusResource.class.getName());

  @Inject SyncDatabase db;
  @Inject SyncCapabilities capabilities;
  @Inject RowSyncRuntime runtime;
  @Inject SyncLifecycle lifecycle;

  @GET
  @Path("status")
  public Response status() {
    return Response.ok(status(SyncError.STATUS_FAILED).toString(), SyncResource.JSON).build();
  }

  @GET
  @Path("health")
  public Response health() {
    JsonObject s = status(SyncError.HEALTH_FAILED);
    int code = "healthy".equals(s.getString("status")) ? 200 : 503;
    return Response.status(code).type(SyncResource.JSON).entity(s.toString()).build();
  }

  private JsonObject status(SyncError failure) {
    if (runtime.tables().isEmpty()) {
      return build(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
    try (Connection c = db.connection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT"
                    + " (SELECT count(*) FROM sync.user_state WHERE retained_bundle_floor > next_bundle_seq - 1),"
                    + " (SELECT coalesce(max(next_bundle_seq - 1), 0) FROM sync.user_state),"
                    + " (SELECT coalesce(min(retained_bundle_floor), 0) FROM sync.user_state),"
                    + " (SELECT coalesce(max(retained_bundle_floor), 0) FROM sync.user_state),"
                    + " (SELECT coalesce(min(next_bundle_seq - 1 - retained_bundle_floor), 0) FROM sync.user_state),"
                    + " (SELECT coalesce(max(next_bundle_seq - 1 - retained_bundle_floor), 0) FROM sync.user_state),"
                    + " (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM sync.history_pruned_error_seq),"
                    + " (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM sync.accepted_push_replay_seq),"
                    + " (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM sync.rejected_registered_write_seq),"
                    + " (SELECT count(*) FROM sync.bundle_log),"
                    + " (SELECT coalesce(sum(byte_count), 0) FROM sync.bundle_log)")) {
      rs.next();
      return build(
          rs.getLong(1),
          rs.getLong(2),
          rs.getLong(3),
          rs.getLong(4),
          rs.getLong(5),
          rs.getLong(6),
          rs.getLong(7),
          rs.getLong(8),
          rs.getLong(9),
          rs.getLong(10),
          rs.getLong(11));
    } catch (SQLException e) {
      LOG.log(Level.SEVERE, "sync status failed", e);
      throw failure.exception("internal error");
    }
  }

  private JsonObject build(
      long floorAhead,
      long latestMax,
      long floorMin,
      long floorMax,
      long windowMin,
      long windowMax,
      long prunedErrors,
      long replays,
      long rejectedWrites,
      long bundles,
      long bundleBytes) {
    return Json.createObjectBuilder()
        .add(
            "status",
            floorAhead > 0 || lifecycle.state() != SyncLifecycle.State.RUNNING
                ? "unhealthy"
                : "healthy")
        .add("version", "v1")
        .add("app_name", capabilities.appName())
        .add("lifecycle", lifecycle.state().wire())
        .add("accepting_operations", lifecycle.state() == SyncLifecycle.State.RUNNING)
        .add("inflight_operations", lifecycle.inflight())
        .add("registered_tables", capabilities.registeredTables())
        .add("features", capabilities.features())
        .add("user_state_retention_floor_ahead_count", floorAhead)
        .add("latest_bundle_seq_max", latestMax)
        .add("retained_bundle_floor_min", floorMin)
        .add("retained_bundle_floor_max", floorMax)
        .add("retained_bundle_window_min", windowMin)
        .add("retained_bundle_window_max", windowMax)
        .add("history_pruned_error_count", prunedErrors)
        .add("accepted_push_replay_count", replays)
        .add("rejected_registered_write_count", rejectedWrites)
        .add("committed_bundle_count", bundles)
        .add("committed_bundle_bytes", bundleBytes)
        .build();
  }
}
