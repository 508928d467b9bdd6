/**
 * The agent-state protocol ({@code v2-agent-state}): a per-tenant append-only replication log of
 * encrypted blocks and per-agent snapshot lineages. § references in this package are to {@code
 * docs/protocol/agent-state.md}.
 *
 * <p>Entry points: {@link io.sealsync.agentstate.AgentStateEntryFilter} (JAX-RS, pre-matching, for
 * every path under the prefixes {@code functions}, {@code v1}, {@code v2-agent-state}, {@code v2})
 * hands the request to {@link io.sealsync.agentstate.AgentStateGate}: authentication ({@link
 * io.sealsync.agentstate.AgentStateAuthenticator}, §3), rate limit ({@link
 * io.sealsync.agentstate.AgentStateLimits}), routing ({@link
 * io.sealsync.agentstate.AgentStateRoute}, §2), scope; then it rewrites the request to the route's
 * method of {@link io.sealsync.agentstate.AgentStateResource}, one per route, which parses with the
 * value types ({@link io.sealsync.agentstate.AgentId}, {@link
 * io.sealsync.agentstate.SnapshotSequence}, {@link io.sealsync.agentstate.LineageLimit}, {@link
 * io.sealsync.agentstate.ReplayQuery}) and calls one service. {@link
 * io.sealsync.agentstate.AgentStateFallbackFilter} serves what JAX-RS cannot take (undecodable
 * paths, no-URI targets, non-standard methods) through the same gate and resource methods. {@link
 * io.sealsync.agentstate.AgentStateErrors} is the one rendering of {@code {"error"}} bodies; each
 * code has its status once, in {@link io.sealsync.agentstate.AgentStateError} (§14). {@link
 * io.sealsync.agentstate.CiphertextResource} serves signed blob URLs (§10.4). Settings: {@link
 * io.sealsync.agentstate.AgentStateSettings}, checked at start.
 *
 * <p>Transactions and locks:
 *
 * <ul>
 *   <li>{@link io.sealsync.agentstate.ReplicationService#replicate} — one transaction; {@code
 *       pg_advisory_xact_lock(hashtextextended('replicate:<tenant>', 0))}, then the head; debit and
 *       insert in the same transaction (§5.3).
 *   <li>{@link io.sealsync.agentstate.SnapshotService#create} — one transaction; {@code
 *       pg_advisory_xact_lock(hashtextextended('snapshot:<tenant>:<agent>', 0))} (§9.3).
 *   <li>Debits lock the account row ({@code SELECT … FOR UPDATE}) inside the caller's transaction
 *       ({@link io.sealsync.billing.BillingService#debit}).
 *   <li>Reads (head, restore, lineage) join no transaction; {@link
 *       io.sealsync.agentstate.ReplayPages} streams replay in short keyset queries (§7).
 * </ul>
 *
 * <p>Rules: body checks in {@link io.sealsync.agentstate.ReplicateRequest} (§5.2) and {@link
 * io.sealsync.agentstate.SnapshotRequest} (§9.2); the hash chain in {@link
 * io.sealsync.agentstate.HashChain} (§8.3); signed receipts in {@link
 * io.sealsync.agentstate.ServerReceipts}.
 */
package io.sealsync.agentstate;
