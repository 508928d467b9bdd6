package io.sealsync.agentstate;

import io.sealsync.platform.JsNumbers;
import java.util.OptionalLong;

/**
 * The query of {@code GET /replay} (§7): {@code since}, and our {@code max_bytes} extension (D9).
 *
 * @param maxBytes the page's byte budget; empty for none
 */
public record ReplayQuery(long since, OptionalLong maxBytes) {

  public static ReplayQuery parse(String since, String maxBytes) {
    long from = since(since);
    return new ReplayQuery(from, maxBytes(maxBytes));
  }

  /** {@code since}: absent or empty → missing; not an integer or below −1 → bad (§7, D8). */
  static long since(String raw) {
    if (raw == null || raw.isEmpty()) {
      throw AgentStateError.MISSING_SINCE_PARAM.exception();
    }
    double n = JsNumbers.toNumber(raw);
    if (!JsNumbers.isInteger(n) || n < -1) {
      throw AgentStateError.BAD_SINCE_PARAM.exception();
    }
    return n >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) n;
  }

  /** {@code max_bytes} (extension, D9): absent → no budget; else a positive decimal integer. */
  static OptionalLong maxBytes(String raw) {
    if (raw == null) {
      return OptionalLong.empty();
    }
    String digits = raw.matches("[0-9]+") ? raw.replaceFirst("^0+", "") : "";
    if (digits.isEmpty()) {
      throw AgentStateError.BAD_MAX_BYTES_PARAM.exception();
    }
    // Beyond 18 digits no budget can bind anyway.
    return OptionalLong.of(digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits));
  }
}
