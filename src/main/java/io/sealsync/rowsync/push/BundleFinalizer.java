package io.sealsync.rowsync.push;

import io.sealsync.platform.JsonFactory;
import io.sealsync.platform.db.Database;
import io.sealsync.platform.db.HotStatement;
import io.sealsync.rowsync.codec.Bundle;
import io.sealsync.rowsync.codec.BundleRow;
import io.sealsync.rowsync.codec.CanonicalJson;
import io.sealsync.rowsync.codec.StagedRow;
import io.sealsync.rowsync.schema.RegisteredTable;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Turns what the capture triggers staged in this transaction into one bundle (rowsync.md §18.3):
 * coalesced per row, canonical, hashed, sequenced, with row state updated.
 */
public final class BundleFinalizer {
  private BundleFinalizer() {}

  /** One row of this transaction's capture stage. */
  private record Captured(long ordinal, int tableId, int op, byte[] key, String payload) {}

  private static final class Coalesced {
    final long firstOrdinal;
    final int tableId;
    final byte[] keyBytes;
    final int firstOp;
    int lastOp;
    String lastPayload;

    Coalesced(long firstOrdinal, int tableId, byte[] keyBytes, int op, String payload) {
      this.firstOrdinal = firstOrdinal;
      this.tableId = tableId;
      this.keyBytes = keyBytes;
      this.firstOp = op;
      this.lastOp = op;
      this.lastPayload = payload;
    }

    /**
     * First and last op decide (§18.3 step 2); null when the row was inserted and deleted again.
     */
    StagedRow.Op result() {
      boolean firstInsert = firstOp == 1;
      if (lastOp == 3) {
        return firstInsert ? null : StagedRow.Op.DELETE;
      }
      return firstInsert ? StagedRow.Op.INSERT : StagedRow.Op.UPDATE;
    }
  }

  /**
   * Statements that finish a bundle in the round trip that writes it, after its rows (source
   * activation, retention): fewer round trips per commit, the same statements in the same order.
   */
  interface Tail {
    Tail NONE =
        new Tail() {
          @Override
          public String sql() {
            return "";
          }

          @Override
          public int bind(PreparedStatement ps, int p) {
            return p;
          }
        };

    /** The statements, each preceded by {@code "; "}. */
    String sql();

    /** Binds the statements' parameters from index {@code p}; returns the next free index. */
    int bind(PreparedStatement ps, int p) throws SQLException;
  }

  @HotStatement
  static final String NEXT_BUNDLE_SEQ =
      "SELECT next_bundle_seq FROM sync.user_state WHERE user_pk = ?";

  /**
   * For tools that write a bundle on a connection of their own: reads the user's next bundle number
   * and finalizes, with nothing else in the bundle's round trip.
   *
   * @return the bundle, or null when the transaction captured no effective change
   */
  public static Bundle finalizeBundle(
      Connection c,
      long userPk,
      String sourceId,
      long sourceBundleId,
      IntFunction<RegisteredTable> tables,
      String notifyChannel)
      throws SQLException {
    long bundleSeq;
    try (PreparedStatement ps = c.prepareStatement(NEXT_BUNDLE_SEQ)) {
      ps.setLong(1, userPk);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        bundleSeq = rs.getLong(1);
      }
    }
    return finalizeBundle(
        c, userPk, sourceId, sourceBundleId, bundleSeq, tables, notifyChannel, Tail.NONE);
  }

  @HotStatement
  static final String TAKE_CAPTURES =
      "DELETE FROM sync.bundle_capture_stage WHERE txid = txid_current() AND user_pk = ?"
          + " RETURNING capture_ordinal, table_id, op_code, key_bytes, payload_db::text";

  /**
   * Checks the constraints deferred during the bundle's writes, then turns the captures into the
   * bundle numbered {@code bundleSeq} (the user's next, read under the user's lock), in two round
   * trips.
   *
   * @return the bundle, or null when the transaction captured no effective change (then {@code
   *     tail} does not run)
   */
  static Bundle finalizeBundle(
      Connection c,
      long userPk,
      String sourceId,
      long sourceBundleId,
      long bundleSeq,
      IntFunction<RegisteredTable> tables,
      String notifyChannel,
      Tail tail)
      throws SQLException {
    // The deferred constraints, then this transaction's captures read and cleared in one
    // statement; RETURNING has no order, so they are sorted by capture ordinal here.
    List<Captured> captured = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement("SET CONSTRAINTS ALL IMMEDIATE; " + TAKE_CAPTURES)) {
      ps.setLong(1, userPk);
      try (ResultSet rs = Database.secondResult(ps)) {
        while (rs.next()) {
          captured.add(
              new Captured(
                  rs.getLong(1), rs.getInt(2), rs.getShort(3), rs.getBytes(4), rs.getString(5)));
        }
      }
    }
    captured.sort(Comparator.comparingLong(Captured::ordinal));
    Map<String, Coalesced> rows = new LinkedHashMap<>();
    for (Captured k : captured) {
      String id = k.tableId() + ":" + HexFormat.of().formatHex(k.key());
      Coalesced row = rows.get(id);
      if (row == null) {
        rows.put(id, new Coalesced(k.ordinal(), k.tableId(), k.key(), k.op(), k.payload()));
      } else {
        row.lastOp = k.op();
        if (k.payload() != null) {
          row.lastPayload = k.payload();
        }
      }
    }
    // Insertion order is first-capture order, which already decides the sort (§18.3 step 3).
    List<Coalesced> effective = new ArrayList<>();
    for (Coalesced r : rows.values()) {
      if (r.result() != null) {
        effective.add(r);
      }
    }
    if (effective.isEmpty()) {
      return null;
    }
    List<BundleRow> bundleRows = new ArrayList<>(effective.size());
    for (Coalesced r : effective) {
      RegisteredTable table = tables.apply(r.tableId);
      StagedRow.Op op = r.result();
      String payload = op == StagedRow.Op.DELETE ? null : wirePayload(table, r.lastPayload);
      bundleRows.add(
          new BundleRow(table, BundleRow.keyText(table, r.keyBytes), op, bundleSeq, payload));
    }
    String canonical =
        CanonicalJson.logicalRows(bundleRows.stream().map(BundleRow::logical).toList());
    byte[] canonicalBytes = canonical.getBytes(StandardCharsets.UTF_8);
    byte[] hash = io.sealsync.platform.Sha256.digest(canonicalBytes);
    int n = effective.size();
    Long[] ordinals = new Long[n];
    Integer[] tableIds = new Integer[n];
    byte[][] keys = new byte[n][];
    Short[] ops = new Short[n];
    String[] payloads = new String[n];
    Boolean[] deleted = new Boolean[n];
    for (int i = 0; i < n; i++) {
      Coalesced r = effective.get(i);
      BundleRow row = bundleRows.get(i);
      ordinals[i] = i + 1L;
      tableIds[i] = r.tableId;
      keys[i] = r.keyBytes;
      ops[i] = (short) row.op().code;
      payloads[i] = row.payloadWire();
      deleted[i] = row.op() == StagedRow.Op.DELETE;
    }
    Array tableArray = c.createArrayOf("int4", tableIds);
    Array keyArray = c.createArrayOf("bytea", keys);
    // The user's bundle number, the bundle's log entry, rows and row states, the tail and the
    // notification: one round trip.
    String sql =
        ADVANCE_BUNDLE_SEQ
            + "; "
            + INSERT_BUNDLE
            + "; "
            + INSERT_BUNDLE_ROWS
            + "; "
            + UPSERT_ROW_STATES
            + tail.sql()
            // Delivered on commit only, to every node listening (§15.3).
            + (notifyChannel == null ? "" : "; " + NOTIFY);
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int p = 1;
      ps.setLong(p++, bundleSeq);
      ps.setLong(p++, userPk);
      ps.setLong(p++, userPk);
      ps.setLong(p++, bundleSeq);
      ps.setString(p++, sourceId);
      ps.setLong(p++, sourceBundleId);
      ps.setLong(p++, bundleRows.size());
      ps.setLong(p++, canonicalBytes.length);
      ps.setBytes(p++, hash);
      ps.setLong(p++, userPk);
      ps.setLong(p++, bundleSeq);
      ps.setArray(p++, c.createArrayOf("bigint", ordinals));
      ps.setArray(p++, tableArray);
      ps.setArray(p++, keyArray);
      ps.setArray(p++, c.createArrayOf("int2", ops));
      ps.setArray(p++, c.createArrayOf("json", payloads));
      ps.setLong(p++, userPk);
      ps.setLong(p++, bundleSeq);
      ps.setArray(p++, tableArray);
      ps.setArray(p++, keyArray);
      ps.setArray(p++, c.createArrayOf("boolean", deleted));
      p = tail.bind(ps, p);
      if (notifyChannel != null) {
        StringBuilder payload =
            new StringBuilder("{\"user_pk\":")
                .append(userPk)
                .append(",\"bundle_seq\":")
                .append(bundleSeq);
        payload.append(",\"source_id\":");
        CanonicalJson.quote(payload, sourceId);
        payload.append(",\"source_bundle_id\":").append(sourceBundleId).append('}');
        ps.setString(p++, notifyChannel);
        ps.setString(p++, payload.toString());
      }
      Database.executeAll(ps);
    }
    return new Bundle(
        bundleSeq,
        sourceId,
        sourceBundleId,
        bundleRows.size(),
        canonicalBytes.length,
        HexFormat.of().formatHex(hash),
        bundleRows);
  }

  @HotStatement
  static final String ADVANCE_BUNDLE_SEQ =
      "UPDATE sync.user_state SET next_bundle_seq = ? + 1 WHERE user_pk = ?";

  @HotStatement
  static final String INSERT_BUNDLE =
      "INSERT INTO sync.bundle_log (user_pk, bundle_seq, source_id, source_bundle_id, row_count,"
          + " byte_count, bundle_hash) VALUES (?, ?, ?, ?, ?, ?, ?)";

  @HotStatement
  static final String INSERT_BUNDLE_ROWS =
      "INSERT INTO sync.bundle_rows (user_pk, bundle_seq, row_ordinal, table_id, key_bytes,"
          + " op_code, payload_wire) SELECT ?, ?, r.* FROM"
          + " unnest(?::bigint[], ?::int[], ?::bytea[], ?::smallint[], ?::json[]) r";

  @HotStatement
  static final String UPSERT_ROW_STATES =
      "INSERT INTO sync.row_state (user_pk, table_id, key_bytes, bundle_seq, deleted)"
          + " SELECT ?, r.table_id, r.key_bytes, ?, r.deleted"
          + " FROM unnest(?::int[], ?::bytea[], ?::boolean[]) AS r(table_id, key_bytes, deleted)"
          + " ON CONFLICT (user_pk, table_id, key_bytes)"
          + " DO UPDATE SET bundle_seq = EXCLUDED.bundle_seq, deleted = EXCLUDED.deleted";

  @HotStatement static final String NOTIFY = "SELECT pg_notify(?, ?)";

  /**
   * Canonical payload with bytea values ({@code "\x…"} from to_jsonb) as standard base64 (§10.1).
   */
  static String wirePayload(RegisteredTable table, String payloadDb) {
    return CanonicalJson.canonicalize(byteaToBase64(table, JsonFactory.readObject(payloadDb)));
  }

  static JsonObject byteaToBase64(RegisteredTable table, JsonObject payload) {
    JsonObjectBuilder b = null;
    for (var e : payload.entrySet()) {
      if (table.isBytea(e.getKey())
          && e.getValue() instanceof JsonString s
          && s.getString().startsWith("\\x")) {
        if (b == null) {
          b = JsonFactory.object(payload);
        }
        b.add(
            e.getKey(),
            Base64.getEncoder()
                .encodeToString(HexFormat.of().parseHex(s.getString().substring(2))));
      }
    }
    return b == null ? payload : b.build();
  }
}
