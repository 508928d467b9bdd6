/**
 * Row sync for operators, under {@code /admin/rowsync} (and {@code /admin/rowsync/user…}, the user
 * named by query parameter): registered tables, retention in force, users with their scope state,
 * history window, sources and open sessions, their retained bundles and the bundles' rows.
 *
 * <p>Entry point: {@link io.sealsync.admin.rowsync.RowSyncAdminResource}. Reads the {@code sync}
 * schema (rowsync.md §17) with plain JDBC, each query on its own connection; read-only, no
 * transactions, no locks. Server writes ({@code POST /admin/rowsync/users/{user}/writes}) stay in
 * {@link io.sealsync.rowsync.api.ServerWritesResource}.
 */
package io.sealsync.admin.rowsync;
