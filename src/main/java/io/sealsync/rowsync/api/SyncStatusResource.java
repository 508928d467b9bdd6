package io.sealsync.rowsync.api;

import io.sealsync.platform.JsonFactory;
import io.sealsync.rowsync.SyncError;
import io.sealsync.rowsync.SyncFailures;
import io.sealsync.rowsync.schema.RowSyncRuntime;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;

/** Unauthenticated status and health of the sync service (rowsync.md §16.2). */
@Path("syncx")
public class SyncStatusResource {
  @Inject SyncStatistics statistics;
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
      return build(
          new SyncStatistics.Totals(0, 0, 0, 0, 0, 0, 0, 0), new SyncStatistics.Counters(0, 0, 0));
    }
    try {
      return build(statistics.totals(), statistics.counters());
    } catch (SQLException e) {
      // The database briefly out of reach is a 503 with Retry-After, as on every other route.
      throw SyncFailures.server(failure, e);
    }
  }

  private JsonObject build(SyncStatistics.Totals t, SyncStatistics.Counters n) {
    return JsonFactory.object()
        .add(
            "status",
            t.floorAhead() > 0 || lifecycle.state() != SyncLifecycle.State.RUNNING
                ? "unhealthy"
                : "healthy")
        .add("version", "v1")
        .add("app_name", capabilities.appName())
        .add("lifecycle", lifecycle.state().wire())
        .add("accepting_operations", lifecycle.state() == SyncLifecycle.State.RUNNING)
        .add("inflight_operations", lifecycle.inflight())
        .add("registered_tables", capabilities.registeredTables())
        .add("features", capabilities.features())
        .add("user_state_retention_floor_ahead_count", t.floorAhead())
        .add("latest_bundle_seq_max", t.latestMax())
        .add("retained_bundle_floor_min", t.floorMin())
        .add("retained_bundle_floor_max", t.floorMax())
        .add("retained_bundle_window_min", t.windowMin())
        .add("retained_bundle_window_max", t.windowMax())
        .add("history_pruned_error_count", n.historyPruned())
        .add("accepted_push_replay_count", n.acceptedPushReplays())
        .add("rejected_registered_write_count", n.rejectedWrites())
        .add("committed_bundle_count", t.bundles())
        .add("committed_bundle_bytes", t.bundleBytes())
        .build();
  }
}
