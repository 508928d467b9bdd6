package io.sealsync.rowsync.codec;

import io.sealsync.rowsync.schema.RegisteredTable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * One row of a committed bundle as clients see it (rowsync.md §5.3).
 *
 * @param payloadWire canonical JSON of the payload, or null for DELETE
 */
public record BundleRow(
    RegisteredTable table, String keyText, StagedRow.Op op, long rowVersion, String payloadWire) {

  public CanonicalJson.LogicalRow logical() {
    return new CanonicalJson.LogicalRow(
        table.schema(),
        table.table(),
        table.keyColumn(),
        keyText,
        op.name(),
        rowVersion,
        payloadWire);
  }

  /** Appends the BundleRow JSON; the payload is embedded as stored, never re-encoded. */
  public void writeJson(StringBuilder sb) {
    writeRow(sb, true);
  }

  /**
   * Appends the SnapshotRow JSON (§5.4): the same row without {@code op}, always with a payload.
   */
  public void writeSnapshotJson(StringBuilder sb) {
    writeRow(sb, false);
  }

  private void writeRow(StringBuilder sb, boolean withOp) {
    sb.append("{\"schema\":");
    CanonicalJson.quote(sb, table.schema());
    sb.append(",\"table\":");
    CanonicalJson.quote(sb, table.table());
    sb.append(",\"key\":{");
    CanonicalJson.quote(sb, table.keyColumn());
    sb.append(':');
    CanonicalJson.quote(sb, keyText);
    sb.append('}');
    if (withOp) {
      sb.append(",\"op\":\"").append(op.name()).append('"');
    }
    sb.append(",\"row_version\":").append(rowVersion);
    if (payloadWire != null) {
      sb.append(",\"payload\":").append(payloadWire);
    }
    sb.append('}');
  }

  /** The wire key text of stored key bytes (§17.4). */
  public static String keyText(RegisteredTable table, byte[] keyBytes) {
    if (table.keyKind() == RegisteredTable.KeyKind.UUID) {
      ByteBuffer b = ByteBuffer.wrap(keyBytes);
      return new UUID(b.getLong(), b.getLong()).toString();
    }
    return new String(keyBytes, StandardCharsets.UTF_8);
  }
}
