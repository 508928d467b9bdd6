package io.sealsync.rowsync;

/**
 * Who is syncing: the authenticated user (whose id is the scope of every row) and the client
 * installation named by the {@code Oversync-Source-ID} header (rowsync.md §3).
 */
public record SyncActor(String userId, String sourceId) {}
