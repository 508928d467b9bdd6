package io.sealsync.agentstate;

import java.time.OffsetDateTime;

/**
 * One confirmed snapshot as {@code GET …/lineage} lists it (agent-state.md §10.3); built by a JPQL
 * constructor expression, so its components match {@link AgentStateSnapshot}'s field types.
 */
public record LineageEntry(
    long sequenceNumber,
    String storageKey,
    String parentSnapshot,
    String clientPayloadHash,
    OffsetDateTime confirmedAt) {}
