package io.sealsync.rowsync.push;

import io.sealsync.platform.JsonFactory;
import io.sealsync.rowsync.SqlNames;
import io.sealsync.rowsync.SyncError;
import io.sealsync.rowsync.SyncException;
import io.sealsync.rowsync.SyncIds;
import io.sealsync.rowsync.codec.CanonicalJson;
import io.sealsync.rowsync.codec.StagedRow;
import io.sealsync.rowsync.schema.RegisteredTable;
import io.sealsync.rowsync.schema.SyncSchemaBootstrap;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/** A validated chunk of push rows (rowsync.md §8.2), checked before the database is touched. */
public record PushChunk(long startRowOrdinal, List<StagedRow> rows) {
  public static final int MAX_ROWS = 5000;
  private static final Pattern CANONICAL_UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern STRICT_BASE64 =
      Pattern.compile("(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");

  /**
   * @param tables finds a registered table by (schema, table)
   */
  public static PushChunk parse(
      JsonObject body, BiFunction<String, String, Optional<RegisteredTable>> tables) {
    long start = int64(body.get("start_row_ordinal"));
    JsonValue rowsValue = body.get("rows");
    if (rowsValue != null
        && rowsValue != JsonValue.NULL
        && rowsValue.getValueType() != JsonValue.ValueType.ARRAY) {
      throw SyncError.INVALID_REQUEST.exception("rows must be an array");
    }
    List<JsonValue> rows =
        rowsValue == null || rowsValue == JsonValue.NULL ? List.of() : rowsValue.asJsonArray();
    if (start < 0) {
      throw invalid("start_row_ordinal must be >= 0");
    }
    if (rows.isEmpty()) {
      throw invalid("rows must not be empty");
    }
    if (rows.size() > MAX_ROWS) {
      throw invalid("rows exceed max_rows_per_push_chunk " + MAX_ROWS);
    }
    List<StagedRow> staged = new ArrayList<>(rows.size());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).getValueType() != JsonValue.ValueType.OBJECT) {
        throw SyncError.INVALID_REQUEST.exception("rows[" + i + "] must be an object");
      }
      StagedRow row = row(i, rows.get(i).asJsonObject(), tables);
      if (!seen.add(row.table().tableId() + ":" + row.keyText())) {
        throw invalid(
            "rows["
                + i
                + "]: duplicate target row "
                + row.table().spec().qualifiedName()
                + " "
                + SyncIds.excerpt(row.keyText()));
      }
      staged.add(row);
    }
    return new PushChunk(start, List.copyOf(staged));
  }

  private static StagedRow row(
      int i, JsonObject r, BiFunction<String, String, Optional<RegisteredTable>> tables) {
    String at = "rows[" + i + "]: ";
    String rawSchema = SqlNames.lower(string(r.get("schema")).trim());
    String schema = rawSchema != null && rawSchema.isEmpty() ? "public" : rawSchema;
    String tableName = SqlNames.lower(string(r.get("table")).trim());
    if (!SqlNames.valid(schema) || !SqlNames.valid(tableName)) {
      throw invalid(at + "invalid schema or table name");
    }
    RegisteredTable table =
        tables
            .apply(schema, tableName)
            .orElseThrow(
                () -> invalid(at + "table " + schema + "." + tableName + " is not registered"));
    StagedRow.Op op = op(string(r.get("op")));
    if (op == null) {
      throw invalid(at + "op must be INSERT, UPDATE or DELETE");
    }
    JsonValue keyValue = r.get("key");
    if (!(keyValue instanceof JsonObject key)
        || !(key.get(table.keyColumn()) instanceof JsonString keyString)) {
      throw invalid(at + "key." + table.keyColumn() + " must be a string");
    }
    String keyText = keyString.getString();
    byte[] keyBytes;
    if (table.keyKind() == RegisteredTable.KeyKind.UUID) {
      if (!CANONICAL_UUID.matcher(keyText).matches()) {
        throw invalid(at + "key." + table.keyColumn() + " must be a canonical lowercase UUID");
      }
      UUID uuid = UUID.fromString(keyText);
      keyBytes =
          ByteBuffer.allocate(16)
              .putLong(uuid.getMostSignificantBits())
              .putLong(uuid.getLeastSignificantBits())
              .array();
    } else {
      keyBytes = keyText.getBytes(StandardCharsets.UTF_8);
    }
    long base = r.containsKey("base_row_version") ? int64(r.get("base_row_version")) : 0;
    JsonValue payload = r.get("payload");
    if (op == StagedRow.Op.DELETE) {
      if (r.containsKey("payload")) {
        throw invalid(at + "DELETE must not carry a payload");
      }
      return new StagedRow(table, keyText, keyBytes, op, base, null);
    }
    if (!(payload instanceof JsonObject p)) {
      throw invalid(at + op + " requires a payload object");
    }
    JsonObjectBuilder apply = JsonFactory.object();
    boolean hasKey = false;
    for (var e : p.entrySet()) {
      String column = SqlNames.lower(e.getKey());
      if (!SqlNames.valid(column)) {
        throw invalid(at + "invalid payload column name " + SyncIds.excerpt(e.getKey()));
      }
      if (column.equals(SyncSchemaBootstrap.SCOPE_COLUMN)) {
        throw invalid(at + "payload must not contain " + SyncSchemaBootstrap.SCOPE_COLUMN);
      }
      JsonValue v = e.getValue();
      if (column.equals(table.keyColumn())) {
        if (!(v instanceof JsonString s) || !s.getString().equals(keyText)) {
          throw invalid(at + "payload." + column + " does not match key");
        }
        hasKey = true;
      }
      if (table.isBytea(column) && v != JsonValue.NULL) {
        if (!(v instanceof JsonString s) || !STRICT_BASE64.matcher(s.getString()).matches()) {
          throw invalid(at + "payload." + column + " must be standard base64");
        }
        v =
            JsonFactory.PROVIDER.createValue(
                "\\x" + HexFormat.of().formatHex(Base64.getDecoder().decode(s.getString())));
      }
      apply.add(column, v);
    }
    if (!hasKey) {
      apply.add(table.keyColumn(), keyText);
    }
    String payloadApply;
    try {
      payloadApply = CanonicalJson.canonicalize(apply.build());
    } catch (IllegalArgumentException e) {
      // A number beyond a double: the reference's JSON decoding refuses it as well.
      throw invalid(at + "payload: " + e.getMessage());
    }
    return new StagedRow(table, keyText, keyBytes, op, base, payloadApply);
  }

  /** The op in any case, compared without case mapping the client's (possibly huge) string. */
  private static StagedRow.Op op(String text) {
    for (StagedRow.Op o : StagedRow.Op.values()) {
      if (o.name().equalsIgnoreCase(text)) {
        return o;
      }
    }
    return null;
  }

  private static SyncException invalid(String message) {
    return SyncError.PUSH_CHUNK_INVALID.exception(message);
  }

  private static String string(JsonValue v) {
    if (v == null || v == JsonValue.NULL) {
      return "";
    }
    if (!(v instanceof JsonString s)) {
      throw SyncError.INVALID_REQUEST.exception("expected a string");
    }
    return s.getString();
  }

  /**
   * A JSON integer in the signed 64-bit range; anything else does not parse (400 invalid_request).
   */
  public static long int64(JsonValue v) {
    if (v == null || v == JsonValue.NULL) {
      return 0;
    }
    if (!(v instanceof JsonNumber n) || !n.isIntegral()) {
      throw SyncError.INVALID_REQUEST.exception("expected an integer");
    }
    try {
      return n.bigIntegerValueExact().longValueExact();
    } catch (ArithmeticException e) {
      throw SyncError.INVALID_REQUEST.exception("integer out of range");
    }
  }
}
