/**
 * Row sync (oversync {@code v1}): registered PostgreSQL tables kept in sync with offline-first
 * clients through per-user bundles. § references in this package are to {@code
 * docs/protocol/rowsync.md}.
 *
 * <p>Entry points: {@link io.sealsync.rowsync.api.SyncResource} ({@code /sync/*}, §2), {@link
 * io.sealsync.rowsync.api.SyncStatusResource} ({@code /syncx/*}, §16.2), {@link
 * io.sealsync.rowsync.api.ServerWritesResource} ({@code /admin/rowsync/…}, §20). Filters: {@link
 * io.sealsync.rowsync.api.SyncAuthenticationFilter} (user JWT, §3), {@link
 * io.sealsync.rowsync.api.SyncLifecycleFilter} (shutdown, §22). Errors: {@link
 * io.sealsync.rowsync.SyncError} (§4), rendered by {@link
 * io.sealsync.rowsync.api.SyncExceptionMapper} and, after {@link io.sealsync.rowsync.SyncRetries}
 * gave up, {@link io.sealsync.rowsync.api.TransientSyncExceptionMapper} (503).
 *
 * <p>Transactions and locks: each service method is one {@code @Transactional} transaction on plain
 * JDBC, retried whole by {@code SyncRetries}. Writes ({@link
 * io.sealsync.rowsync.push.ConnectService}, {@link io.sealsync.rowsync.push.PushSessionService},
 * {@link io.sealsync.rowsync.push.ServerWrites}) take {@code
 * pg_advisory_xact_lock(hashtextextended(user_id, 0))} first, then {@code SELECT … FOR UPDATE} on
 * the scope, session or source rows they change (§7.1). Reads ({@link
 * io.sealsync.rowsync.read.PullService}, {@link io.sealsync.rowsync.read.CommittedBundles}, {@link
 * io.sealsync.rowsync.read.SnapshotSessions}) run at {@code REPEATABLE READ} without a lock (§7.2).
 *
 * <p>Where the rules live: scope and lease in {@code ScopeStore} (§6); source sequencing in {@code
 * SourceStore} (§8.1, §14.4); row validation in {@link io.sealsync.rowsync.push.PushChunk} (§8.2);
 * conflicts in {@code Conflicts} (§8.5); apply in {@code RowApplier} (§8.6); bundles in {@code
 * BundleFinalizer} (§18.3) and {@link io.sealsync.rowsync.codec.CanonicalJson} (§11); retention in
 * {@link io.sealsync.rowsync.push.Retention} (§13); watch in {@link
 * io.sealsync.rowsync.watch.WatchHub} and {@link io.sealsync.rowsync.watch.BundleChangeListener}
 * (§15); schema and triggers in {@link io.sealsync.rowsync.schema.SyncSchemaBootstrap}, run at
 * start by {@link io.sealsync.rowsync.schema.RowSyncRuntime} (§17-§19); expired sessions in {@link
 * io.sealsync.rowsync.push.ExpiredSessionSweeper}.
 */
package io.sealsync.rowsync;
