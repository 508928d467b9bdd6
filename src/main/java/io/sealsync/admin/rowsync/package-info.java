/**
 * Row sync for operators, under {@code /admin/rowsync} (and {@code /admin/rowsync/user…}, the user
 * named by query parameter): registered tables, retention in force, users with their scope state,
 * history window, sources and open sessions, their retained bundles and the bundles' rows.
 *
 * <p>Entry point: {@link io.sealsync.admin.rowsync.RowSyncAdminResource}. Reads the {@code sync}
 * schema (rowsync.md §17) with plain JDBC, each query on its own connection, and a user's sources
 * and sessions as entities of {@code io.sealsync.rowsync.state}; read-only, no transactions, no
 * locks. Server writes ({@code POST /admin/rowsync/users/{user}/writes}, rowsync.md §20.3): {@link
 * io.sealsync.admin.rowsync.ServerWritesResource}, through {@code rowsync.push.ServerWrites}, with
 * the protocol's codes in the operator envelope.
 */
package io.sealsync.admin.rowsync;
