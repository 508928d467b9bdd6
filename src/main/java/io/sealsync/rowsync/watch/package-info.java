/**
 * Bundle-change watch (§15): {@link io.sealsync.rowsync.watch.BundleChangeListener} holds one
 * {@code LISTEN} connection per node and catches up after a reconnect; {@link
 * io.sealsync.rowsync.watch.WatchHub} fans events out to the SSE streams without a thread each;
 * {@link io.sealsync.rowsync.watch.WatchScope} checks a watcher's scope.
 */
package io.sealsync.rowsync.watch;
