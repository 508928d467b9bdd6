package io.sealsync.agentstate;

import java.time.OffsetDateTime;

/**
 * The newest entry of a tenant's replication log (agent-state.md §6): its sequence, the chain root
 * up to it and when it was written. Also a JPQL constructor result, so its components match {@link
 * ReplicationLogEntry}'s field types.
 */
public record LogHead(long sequenceNumber, String merkleRoot, OffsetDateTime createdAt) {}
