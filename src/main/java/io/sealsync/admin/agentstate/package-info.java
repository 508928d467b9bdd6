/**
 * The agent state of one account tenant for operators, under {@code
 * /admin/tenants/{id}/agent-state}: the replication log's head, size and age, the agents' snapshot
 * lineages (paged), and a streamed verification of the stored log.
 *
 * <p>Entry point: {@link io.sealsync.admin.agentstate.AgentStateAdminResource}. {@link
 * io.sealsync.admin.agentstate.LogVerifier} recomputes every {@code block_hash} and the {@code
 * merkle_root} chain ({@link io.sealsync.agentstate.HashChain}, agent-state.md §8) from sequence 0,
 * reading keyset batches of 16 rows, each on a connection borrowed for one short query (as {@link
 * io.sealsync.agentstate.ReplayPages} does), so memory stays bounded and no connection or
 * transaction is held while the client reads. Read-only; no transactions, no locks.
 */
package io.sealsync.admin.agentstate;
