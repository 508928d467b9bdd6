package io.sealsync.agentstate;

import io.sealsync.platform.JsNumbers;

/** The {@code {seq}} of {@code GET /snapshot/{agent}/{seq}}, as JavaScript's Number() reads it. */
public record SnapshotSequence(long value) {

  /**
   * {@code {seq}}: not finite → bad_path_sequence; negative or fractional → bad_sequence (§2.4).
   */
  public static SnapshotSequence parse(String raw) {
    double n = JsNumbers.toNumber(raw);
    if (Double.isNaN(n) || Double.isInfinite(n)) {
      throw AgentStateError.BAD_PATH_SEQUENCE.exception();
    }
    if (n < 0 || !JsNumbers.isInteger(n)) {
      throw AgentStateError.BAD_SEQUENCE.exception();
    }
    return new SnapshotSequence(n >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) n);
  }
}
