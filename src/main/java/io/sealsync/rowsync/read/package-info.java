/**
 * The read side of row sync, each call one {@code REPEATABLE READ} transaction without a lock
 * (§7.2): pull ({@link io.sealsync.rowsync.read.PullService}, §12), the rows of a committed bundle
 * ({@link io.sealsync.rowsync.read.CommittedBundles}, §9) and frozen snapshot sessions ({@link
 * io.sealsync.rowsync.read.SnapshotSessions}, §14, which may also replace the caller's source,
 * §14.4).
 */
package io.sealsync.rowsync.read;
