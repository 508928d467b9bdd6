/**
 * JPA entities for the per-user row-sync state tables of the {@code sync} schema ({@code
 * user_state}, {@code source_state}, {@code push_sessions}, {@code snapshot_sessions}; rowsync.md
 * §17.2), and {@link io.sealsync.rowsync.state.RowSyncStateReads}, which reads them as whole rows
 * for the operator's views. The schema belongs to {@code SyncSchemaBootstrap}; the protocol paths
 * write these tables in SQL, in the round trips that hold the user's lock.
 */
package io.sealsync.rowsync.state;
