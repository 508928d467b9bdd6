/**
 * The agent-state protocol ({@code v2-agent-state}): a per-tenant append-only replication log of
 * encrypted blocks and per-agent snapshot lineages. § references in this package are to {@code
 * docs/protocol/agent-state.md}.
 *
 * <p>Entry points: {@link io.sealsync.agentstate.AgentStateResource} takes every method under the
 * prefixes {@code functions}, {@code v1}, {@code v2-agent-state}, {@code v2}; {@link
 * io.sealsync.agentstate.AgentStateFallbackFilter} sends it what JAX-RS would refuse first. Both
 * hand over to {@link io.sealsync.agentstate.AgentStateDispatcher}: authentication ({@link
 * io.sealsync.agentstate.AgentStateAuthenticator}, §3), rate limit ({@link
 * io.sealsync.agentstate.AgentStateLimits}), routing ({@link
 * io.sealsync.agentstate.AgentStateRoute}, §2), scope, handler, {@code {"error"}} rendering ({@link
 * io.sealsync.agentstate.AgentStateError}, §14). {@link io.sealsync.agentstate.CiphertextResource}
 * serves signed blob URLs (§10.4).
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
