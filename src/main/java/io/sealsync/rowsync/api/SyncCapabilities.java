package io.sealsync.rowsync.api;

import io.sealsync.platform.JsonFactory;
import io.sealsync.rowsync.RowSyncSettings;
import io.sealsync.rowsync.push.PushChunk;
import io.sealsync.rowsync.read.CommittedBundles;
import io.sealsync.rowsync.read.PullService;
import io.sealsync.rowsync.read.SnapshotSessions;
import io.sealsync.rowsync.schema.InitializationLease;
import io.sealsync.rowsync.schema.RowSyncRuntime;
import io.sealsync.rowsync.watch.BundleChangeListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.Map;
import java.util.TreeMap;

/**
 * What this server supports (rowsync.md §16.1). A feature is advertised true only when it works
 * here.
 */
@ApplicationScoped
public class SyncCapabilities {
  @Inject RowSyncRuntime runtime;
  @Inject BundleChangeListener listener;
  @Inject InitializationLease lease;

  @Inject RowSyncSettings settings;

  public String appName() {
    return settings.appName();
  }

  /** The 20 feature flags, each true only when this server implements it. */
  public JsonObject features() {
    Map<String, Boolean> f = new TreeMap<>();
    for (String on :
        new String[] {
          "graceful_shutdown",
          "bundle_pull",
          "snapshot_chunking",
          "push_session_chunking",
          "committed_bundle_row_fetch",
          "status_endpoint",
          "capabilities_endpoint",
          "history_pruned_errors",
          "bundle_push",
          "structured_sync_keys",
          "registered_write_rejection_enforced",
          "accepted_push_replay_visibility",
          "committed_bundle_visibility",
          "retained_floor_visibility",
          "retained_window_visibility",
          "history_pruned_visibility",
          "connect_lifecycle",
          "scope_initialization_leases"
        }) {
      f.put(on, true);
    }
    for (String off : new String[] {"server_checkpoint_tracking"}) {
      f.put(off, false);
    }
    // Advertised only while this node's listener receives every node's bundles.
    f.put("bundle_change_watch", listener.listening());
    JsonObjectBuilder b = JsonFactory.object();
    f.forEach(b::add);
    return b.build();
  }

  public JsonArrayBuilder registeredTables() {
    JsonArrayBuilder names = JsonFactory.array();
    runtime.tables().stream().map(t -> t.spec().qualifiedName()).sorted().forEach(names::add);
    return names;
  }

  public JsonObject capabilities() {
    JsonObjectBuilder b =
        JsonFactory.object()
            .add("protocol_version", "v1")
            .add("schema_version", 1)
            .add("app_name", settings.appName());
    if (!runtime.tables().isEmpty()) {
      b.add("registered_tables", registeredTables());
      JsonArrayBuilder specs = JsonFactory.array();
      runtime.tables().stream()
          .sorted(java.util.Comparator.comparing(t -> t.spec().qualifiedName()))
          .forEach(
              t ->
                  specs.add(
                      JsonFactory.object()
                          .add("schema", t.schema())
                          .add("table", t.table())
                          .add("sync_key_columns", JsonFactory.array().add(t.keyColumn()))));
      b.add("registered_table_specs", specs);
    }
    b.add("features", features());
    JsonObjectBuilder limits = JsonFactory.object();
    if (settings.maxRowsPerBundle() > 0) {
      limits.add("max_rows_per_bundle", settings.maxRowsPerBundle());
    }
    if (settings.maxBytesPerBundle() > 0) {
      limits.add("max_bytes_per_bundle", settings.maxBytesPerBundle());
    }
    limits
        .add("max_bundles_per_pull", PullService.MAX_BUNDLES)
        .add("default_rows_per_push_chunk", 1000)
        .add("max_rows_per_push_chunk", PushChunk.MAX_ROWS)
        .add("push_session_ttl_seconds", 900)
        .add("default_rows_per_committed_bundle_chunk", CommittedBundles.DEFAULT_ROWS)
        .add("max_rows_per_committed_bundle_chunk", CommittedBundles.MAX_ROWS)
        .add("default_rows_per_snapshot_chunk", SnapshotSessions.DEFAULT_ROWS)
        .add("max_rows_per_snapshot_chunk", SnapshotSessions.MAX_ROWS)
        .add("snapshot_session_ttl_seconds", 900)
        .add("initialization_lease_ttl_seconds", lease.seconds());
    return b.add("bundle_limits", limits).build();
  }
}
