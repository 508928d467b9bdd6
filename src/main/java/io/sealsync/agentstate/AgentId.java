package io.sealsync.agentstate;

/**
 * A client-chosen agent id: 1 to 128 characters (UTF-16 code units, as the SDK counts them), none
 * of them U+0000, which no PostgreSQL text can hold.
 */
public record AgentId(String value) {
  public static final int MAX_LENGTH = 128;

  public AgentId {
    if (value == null
        || value.isEmpty()
        || value.length() > MAX_LENGTH
        || value.indexOf('\u0000') >= 0) {
      throw AgentStateError.BAD_AGENT_ID.exception();
    }
  }

  public static AgentId of(String value) {
    return new AgentId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
