package io.sealsync.agentstate;

import jakarta.json.JsonArray;

/** A protocol error: answered as {@code {"error":"<code>"}} with the code's status. */
public class AgentStateException extends RuntimeException {
  private final AgentStateError error;
  private final String code;
  private final transient JsonArray conflicts;

  AgentStateException(AgentStateError error, String code) {
    this(error, code, null);
  }

  AgentStateException(AgentStateError error, String code, JsonArray conflicts) {
    super(code, null, false, false);
    this.error = error;
    this.code = code;
    this.conflicts = conflicts;
  }

  public AgentStateError error() {
    return error;
  }

  public String code() {
    return code;
  }

  public int status() {
    return error.status();
  }

  /** The split-brain {@code conflicts} list, or null. */
  public JsonArray conflicts() {
    return conflicts;
  }
}
