/**
 * Row sync over HTTP: {@link io.sealsync.rowsync.api.SyncResource} ({@code /sync/*}, §2), {@link
 * io.sealsync.rowsync.api.SyncStatusResource} ({@code /syncx/*}, §16.2). Bodies are parsed by their
 * own records ({@code SyncRequests}), parameters by {@code SyncParameters}. {@link
 * io.sealsync.rowsync.api.SyncAuthenticationFilter} verifies the user's token (§3), {@link
 * io.sealsync.rowsync.api.SyncLifecycleFilter} refuses work while stopping (§22). Every row-sync
 * error is rendered by {@link io.sealsync.rowsync.api.SyncExceptionMapper} (§4.1); a transient
 * failure that outlived its retries by {@link io.sealsync.rowsync.api.TransientSyncExceptionMapper}
 * (503 with {@code Retry-After}).
 */
package io.sealsync.rowsync.api;
