/**
 * Row sync (oversync {@code v1}): registered PostgreSQL tables kept in sync with offline-first
 * clients through per-user bundles. § references in this package and its sub-packages are to {@code
 * docs/protocol/rowsync.md}.
 *
 * <p>The sub-packages follow the protocol's steps:
 *
 * <ul>
 *   <li>{@code schema}: the {@code sync} schema, registered tables and triggers, installed at start
 *       (§17-§19);
 *   <li>{@code codec}: canonical JSON, bundles and rows as the wire and the bundle hash see them
 *       (§10, §11);
 *   <li>{@code push}: connect and leases (§6), push sessions (§8), the one {@link
 *       io.sealsync.rowsync.push.BundleCommit} used by pushes and server writes (§8.3, §20),
 *       retention (§13);
 *   <li>{@code read}: pull (§12), committed bundle rows (§9), snapshot sessions (§14);
 *   <li>{@code watch}: the bundle-change listener and SSE fan-out (§15);
 *   <li>{@code api}: the JAX-RS resources, filters, request records and the error rendering.
 * </ul>
 *
 * <p>This package holds what every step shares: the error codes ({@link
 * io.sealsync.rowsync.SyncError}, §4, each mapped to its status once), the actor (§3), id rules,
 * the user's scope and lease ({@link io.sealsync.rowsync.ScopeStore}, §6), source sequencing and
 * replacement ({@link io.sealsync.rowsync.SourceStore}, §8.1, §14.4) and the retry of transient
 * failures ({@link io.sealsync.rowsync.SyncRetries}, §7.1).
 *
 * <p>Transactions and locks: each service method is one {@code @Transactional} transaction on plain
 * JDBC, retried whole by {@code SyncRetries}. Writes take {@code
 * pg_advisory_xact_lock(hashtextextended(user_id, 0))} first, then {@code SELECT … FOR UPDATE} on
 * the scope, session or source rows they change (§7.1); reads run at {@code REPEATABLE READ}
 * without a lock (§7.2). {@code docs/architecture.md} maps every route to its transaction and lock.
 */
package io.sealsync.rowsync;
