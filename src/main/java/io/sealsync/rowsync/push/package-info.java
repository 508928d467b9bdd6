/**
 * The write side of row sync: connect and initialization leases ({@link
 * io.sealsync.rowsync.push.ConnectService}, §6), staged push sessions ({@link
 * io.sealsync.rowsync.push.PushSessionService}, §8; chunk validation in {@link
 * io.sealsync.rowsync.push.PushChunk}, §8.2), and the one bundle commit ({@link
 * io.sealsync.rowsync.push.BundleCommit}) that pushes and server-originated writes ({@link
 * io.sealsync.rowsync.push.ServerWrites}, §20) share: the bundle's GUCs ({@code BundleContext},
 * §18.4), conflicts ({@code Conflicts}, §8.5), the apply ({@code StagedApply}, {@code RowApplier},
 * §8.6), finalization of the captured changes ({@code BundleFinalizer}, §18.3), retention ({@link
 * io.sealsync.rowsync.push.Retention}, §13). {@link io.sealsync.rowsync.push.ExpiredSessionSweeper}
 * clears expired push and snapshot sessions.
 */
package io.sealsync.rowsync.push;
