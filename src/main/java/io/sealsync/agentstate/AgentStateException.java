package io.sealsync.agentstate;

import io.sealsync.platform.errors.ExpectedFailure;
import jakarta.json.JsonArray;

/** A protocol error: answered as {@code {"error":"<code>"}} with the code's status. */
public class AgentStateException extends RuntimeException implements ExpectedFailure {
  private final AgentStateError error;
  private final String code;
  private final transient JsonArray conflicts;
  private final long retryAfterSeconds;

  AgentStateException(AgentStateError error, String code) {
    this(error, code, null, 0);
  }

  AgentStateException(AgentStateError error, String code, JsonArray conflicts) {
    this(error, code, conflicts, 0);
  }

  AgentStateException(
      AgentStateError error, String code, JsonArray conflicts, long retryAfterSeconds) {
    super(code, null, false, false);
    this.error = error;
    this.code = code;
    this.conflicts = conflicts;
    this.retryAfterSeconds = retryAfterSeconds;
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

  /** Seconds for {@code Retry-After}, or 0 for none. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The split-brain {@code conflicts} list, or null. */
  public JsonArray conflicts() {
    return conflicts;
  }
}
