package io.sealsync.agentstate;

/** Every error code of the agent-state protocol with its HTTP status (agent-state.md §14). */
public enum AgentStateError {
  // Authentication (§3.4)
  MISSING_OR_INVALID_BEARER_TOKEN(401),
  AUTH_LOOKUP_FAILED(500),
  INVALID_API_KEY(401),
  API_KEY_REVOKED(401),
  API_KEY_EXPIRED(401),
  AUTH_USER_LOOKUP_FAILED(500),
  OWNER_NOT_FOUND(401),
  INSUFFICIENT_SCOPE(403),
  // Dispatch
  ROUTE_NOT_FOUND(404),
  // Request bodies
  INVALID_JSON(400),
  REQUEST_TOO_LARGE(413),
  // Snapshots (§9, §10)
  MISSING_FIELD(400),
  BAD_AGENT_ID(400),
  BAD_POLICY_HASH(400),
  BAD_PAYLOAD_HASH(400),
  BAD_SEQUENCE(400),
  BAD_PATH_SEQUENCE(400),
  GENESIS_VIOLATION(400),
  MISSING_PARENT_SNAPSHOT(400),
  BYTE_SIZE_MISMATCH(400),
  BAD_CIPHERTEXT_B64(400),
  CIPHERTEXT_TOO_LARGE(413),
  SEQUENCE_CONFLICT(409),
  SEQUENCE_GAP(409),
  NO_SNAPSHOTS_FOR_AGENT(404),
  SNAPSHOT_NOT_FOUND(404),
  /** Ours: a ciphertext URL whose signature does not match or whose time is up (§10.4). */
  INVALID_OR_EXPIRED_URL(403),
  SEQUENCE_LOOKUP_FAILED(500),
  SNAPSHOT_INSERT_FAILED(500),
  RESTORE_LOOKUP_FAILED(500),
  LINEAGE_LOOKUP_FAILED(500),
  // Replication (§5-§7)
  MISSING_OR_EMPTY_CHUNKS(400),
  MISSING_MERKLE_ROOT(400),
  BAD_MERKLE_ROOT(400),
  BAD_SEQUENCE_NUMBER(400),
  MISSING_BLOCK_HASH(400),
  MISSING_CIPHERTEXT_B64(400),
  BAD_BLOCK_HASH(400),
  CHUNK_TOO_LARGE(413),
  BLOCK_HASH_MISMATCH(422),
  MERKLE_ROOT_MISMATCH(422),
  REPLICATION_SEQUENCE_GAP(422),
  SPLIT_BRAIN_DETECTED(409),
  NO_REPLICATION_ENTRIES(404),
  MISSING_SINCE_PARAM(400),
  BAD_SINCE_PARAM(400),
  BAD_MAX_BYTES_PARAM(400),
  CONFLICT_LOOKUP_FAILED(500),
  INSERT_FAILED(500),
  HEAD_LOOKUP_FAILED(500),
  REPLAY_LOOKUP_FAILED(500),
  // Billing and limits
  INSUFFICIENT_CREDITS(402),
  DEBIT_FAILED(500),
  RATE_LIMITED(429),
  INTERNAL_ERROR(500);

  private final int status;

  AgentStateError(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** The wire code: the constant's name in lower case. */
  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public AgentStateException exception() {
    return new AgentStateException(this, code());
  }

  /** For {@link #RATE_LIMITED}: answered with {@code Retry-After}. */
  public AgentStateException exception(long retryAfterSeconds) {
    return new AgentStateException(this, code(), null, retryAfterSeconds);
  }

  /** For {@link #MISSING_FIELD}: {@code missing_field:<name>}. */
  public AgentStateException exception(String detail) {
    return new AgentStateException(this, code() + ":" + detail);
  }
}
