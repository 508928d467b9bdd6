package io.sealsync.rowsync.codec;

import io.sealsync.rowsync.schema.RegisteredTable;

/**
 * One validated push row, ready for {@code sync.push_session_rows}.
 *
 * @param payloadApply canonical JSON of the payload with the key injected and bytea values as
 *     PostgreSQL hex text; null for DELETE
 */
public record StagedRow(
    RegisteredTable table,
    String keyText,
    byte[] keyBytes,
    Op op,
    long baseRowVersion,
    String payloadApply) {

  /** Op codes of the sync layout (§17.4). */
  public enum Op {
    INSERT(1),
    UPDATE(2),
    DELETE(3);

    public final int code;

    Op(int code) {
      this.code = code;
    }

    public static Op ofCode(int code) {
      return values()[code - 1];
    }
  }
}
