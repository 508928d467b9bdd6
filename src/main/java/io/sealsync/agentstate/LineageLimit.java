package io.sealsync.agentstate;

import io.sealsync.platform.JsNumbers;

/** The {@code limit} of {@code GET /snapshot/{agent}/lineage}: never an error (§10.3). */
public record LineageLimit(int value) {
  static final int DEFAULT = 100;
  static final int MAX = 500;

  /** Effective lineage limit: min(max(1, ToInt32(Number(limit))), 500), default 100 (§10.3). */
  public static LineageLimit parse(String raw) {
    if (raw == null) {
      return new LineageLimit(DEFAULT);
    }
    return new LineageLimit(Math.min(Math.max(1, JsNumbers.toInt32(JsNumbers.toNumber(raw))), MAX));
  }
}
