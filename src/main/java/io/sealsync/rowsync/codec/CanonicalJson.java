package io.sealsync.rowsync.codec;

import io.sealsync.platform.Sha256;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Canonical JSON of the row-sync protocol (rowsync.md §11.1) and the bundle hash (§11.2).
 *
 * <p>Clients recompute a SHA-256 over these bytes, so the output must match the reference Go server
 * byte for byte: its canonical form is {@code json.Unmarshal} into {@code interface{}} followed by
 * {@code json.Marshal}, so parsing here follows Go's decoder and writing follows Go's encoder.
 *
 * <p>Strings in the canonical output never contain unpaired surrogates. Go's decoder replaces
 * invalid UTF-8 (and unpaired {@code \}{@code ud800}-style escapes) with a raw U+FFFD before the
 * encoder sees the text, so the encoder's {@code \}{@code ufffd} escape never reaches canonical
 * bytes; {@link #canonicalize}, {@link #write} and {@link #logicalRows} therefore emit a raw U+FFFD
 * for an unpaired surrogate. Only {@link #quote}, the encoder on its own, escapes it.
 *
 * <p>Nesting is handled with explicit stacks rather than recursion, so a deeply nested payload
 * cannot overflow a server thread's stack; like Go's decoder, input nested deeper than {@value
 * #MAX_DEPTH} levels is refused.
 */
public final class CanonicalJson {
  /** Go's {@code encoding/json} refuses deeper nesting; so do we, to accept the same inputs. */
  static final int MAX_DEPTH = 10_000;

  /**
   * Orders strings by their UTF-8 bytes, which is code point order. Where the first differing
   * UTF-16 units are a surrogate and a unit in U+E000..U+FFFF, code unit order is wrong (the
   * surrogate encodes a code point above U+FFFF); shifting surrogates above U+E000..U+FFFF fixes
   * that without decoding code points or allocating byte arrays.
   */
  static final Comparator<String> UTF8_ORDER =
      (a, b) -> {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
          char x = a.charAt(i);
          char y = b.charAt(i);
          if (x != y) {
            return codePointOrderKey(x) - codePointOrderKey(y);
          }
        }
        return a.length() - b.length();
      };

  private static final char REPLACEMENT = '\uFFFD';
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private CanonicalJson() {}

  /**
   * Canonical form of a JSON text (any JSON value).
   *
   * @throws IllegalArgumentException if not valid JSON, or if a number is too large for a double
   *     (Go refuses such numbers too)
   */
  public static String canonicalize(String json) {
    Objects.requireNonNull(json, "json");
    Object tree = GoDecoder.parse(json);
    StringBuilder sb = new StringBuilder(json.length());
    writeTree(sb, tree);
    return sb.toString();
  }

  /**
   * Canonical form of an already parsed JSON-P value (numbers are still taken as doubles).
   *
   * <p>A negative zero cannot survive JSON-P's {@link BigDecimal} numbers, so {@code -0} in the
   * original text prints as {@code 0} here; {@link #canonicalize(String)} keeps it as Go does.
   *
   * @throws IllegalArgumentException if a number is too large for a double
   */
  public static String canonicalize(JsonValue value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value);
    return sb.toString();
  }

  /**
   * Appends the canonical form of value to sb.
   *
   * @throws IllegalArgumentException if a number is too large for a double
   */
  public static void write(StringBuilder sb, JsonValue value) {
    Objects.requireNonNull(value, "value");
    writeTree(sb, value);
  }

  /**
   * Go encoding/json string quoting with HTML escaping, including the quotes. An unpaired surrogate
   * is written as {@code \}{@code ufffd}, as Go's encoder does for invalid UTF-8.
   */
  public static void quote(StringBuilder sb, String s) {
    quote(sb, s, true);
  }

  /**
   * Shortest round-trip number formatting of Go's {@code encoding/json}.
   *
   * @throws IllegalArgumentException for NaN and infinities, which Go refuses to encode
   */
  public static String formatNumber(double d) {
    return GoNumbers.format(d);
  }

  /**
   * One row of a bundle for hashing. payloadCanonicalJson is canonical JSON text of the payload
   * object, or null (DELETE); it goes into the hashed bytes as is, unchecked.
   */
  public record LogicalRow(
      String schema,
      String table,
      String keyColumn,
      String keyValue,
      String op,
      long rowVersion,
      String payloadCanonicalJson) {
    public LogicalRow {
      Objects.requireNonNull(schema, "schema");
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(keyColumn, "keyColumn");
      Objects.requireNonNull(keyValue, "keyValue");
      Objects.requireNonNull(op, "op");
    }
  }

  /**
   * The canonical logicalRows string of §11.2 (row_ordinal = index).
   *
   * <p>This runs on every commit, so it writes the fields directly in their canonical order (key,
   * op, payload, row_ordinal, row_version, schema, table are already sorted by UTF-8 bytes) and
   * copies the payload verbatim: it must already be canonical, e.g. the output of {@link
   * #canonicalize(String)}.
   */
  public static String logicalRows(List<LogicalRow> rows) {
    long capacity = 2;
    for (LogicalRow row : rows) {
      capacity += 128 + row.schema().length() + row.table().length() + row.keyColumn().length();
      capacity += row.keyValue().length() + row.op().length();
      capacity += row.payloadCanonicalJson() == null ? 4 : row.payloadCanonicalJson().length();
    }
    StringBuilder sb = new StringBuilder((int) Math.min(capacity, Integer.MAX_VALUE - 16));
    sb.append('[');
    int ordinal = 0;
    for (LogicalRow row : rows) {
      if (ordinal > 0) {
        sb.append(',');
      }
      sb.append("{\"key\":{");
      quote(sb, row.keyColumn(), false);
      sb.append(':');
      quote(sb, row.keyValue(), false);
      sb.append("},\"op\":");
      quote(sb, row.op(), false);
      sb.append(",\"payload\":");
      sb.append(row.payloadCanonicalJson() == null ? "null" : row.payloadCanonicalJson());
      sb.append(",\"row_ordinal\":").append(formatNumber(ordinal));
      // Go re-parses row_version as a float64, so versions above 2^53 lose precision there too.
      sb.append(",\"row_version\":").append(formatNumber((double) row.rowVersion()));
      sb.append(",\"schema\":");
      quote(sb, row.schema(), false);
      sb.append(",\"table\":");
      quote(sb, row.table(), false);
      sb.append('}');
      ordinal++;
    }
    sb.append(']');
    return sb.toString();
  }

  /** lowercase hex SHA-256 of the UTF-8 bytes of logicalRows(rows). */
  public static String bundleHash(List<LogicalRow> rows) {
    return Sha256.hex(logicalRows(rows));
  }

  // ---------------------------------------------------------------------------------------------
  // Writing either our parsed tree or a JSON-P value; JsonObject and JsonArray are also a Map and
  // a List, so the JSON-P cases must be tested first.

  private static void writeTree(StringBuilder sb, Object root) {
    ArrayDeque<Cursor> stack = new ArrayDeque<>();
    Cursor opened = writeScalarOrOpen(sb, root);
    if (opened == null) {
      return;
    }
    stack.push(opened);
    while (!stack.isEmpty()) {
      Cursor cursor = stack.peek();
      if (!cursor.items.hasNext()) {
        sb.append(cursor.object ? '}' : ']');
        stack.pop();
        continue;
      }
      if (cursor.first) {
        cursor.first = false;
      } else {
        sb.append(',');
      }
      Object item = cursor.items.next();
      if (cursor.object) {
        Map.Entry<?, ?> entry = (Map.Entry<?, ?>) item;
        quote(sb, (String) entry.getKey(), false);
        sb.append(':');
        item = entry.getValue();
      }
      Cursor child = writeScalarOrOpen(sb, item);
      if (child != null) {
        if (stack.size() >= MAX_DEPTH) {
          throw new IllegalArgumentException("JSON nested deeper than " + MAX_DEPTH);
        }
        stack.push(child);
      }
    }
  }

  private static final class Cursor {
    final Iterator<?> items;
    final boolean object;
    boolean first = true;

    Cursor(Iterator<?> items, boolean object) {
      this.items = items;
      this.object = object;
    }
  }

  /** Writes a scalar, or writes the opening bracket of a container and returns its cursor. */
  private static Cursor writeScalarOrOpen(StringBuilder sb, Object value) {
    if (value == null || value == JsonValue.NULL) {
      sb.append("null");
    } else if (value == Boolean.TRUE || value == JsonValue.TRUE) {
      sb.append("true");
    } else if (value == Boolean.FALSE || value == JsonValue.FALSE) {
      sb.append("false");
    } else if (value instanceof Double d) {
      sb.append(formatNumber(d));
    } else if (value instanceof String s) {
      quote(sb, s, false);
    } else if (value instanceof JsonNumber n) {
      sb.append(formatNumber(finiteDouble(n.doubleValue(), n)));
    } else if (value instanceof JsonString s) {
      quote(sb, s.getString(), false);
    } else if (value instanceof JsonObject o) {
      // Replacing unpaired surrogates can make two keys equal; the later one wins, as in Go.
      TreeMap<String, JsonValue> sorted = new TreeMap<>(UTF8_ORDER);
      for (Map.Entry<String, JsonValue> e : o.entrySet()) {
        sorted.put(wellFormed(e.getKey()), e.getValue());
      }
      sb.append('{');
      return new Cursor(sorted.entrySet().iterator(), true);
    } else if (value instanceof Map<?, ?> m) {
      sb.append('{');
      return new Cursor(m.entrySet().iterator(), true);
    } else if (value instanceof List<?> l) {
      sb.append('[');
      return new Cursor(l.iterator(), false);
    } else {
      throw new IllegalArgumentException("Not a JSON value: " + value.getClass().getName());
    }
    return null;
  }

  static double finiteDouble(double d, Object source) {
    if (Double.isInfinite(d)) {
      String text = String.valueOf(source);
      if (text.length() > 40) {
        text = text.substring(0, 40) + "...";
      }
      throw new IllegalArgumentException("Number out of range for a double: " + text);
    }
    return d;
  }

  // ---------------------------------------------------------------------------------------------
  // Strings

  /**
   * Go's {@code encodeState.string} with HTML escaping. loneSurrogateEscaped chooses between the
   * encoder's own treatment of invalid text ({@code \}{@code ufffd}) and the canonical form, where
   * Go's decoder has already turned it into a raw U+FFFD.
   */
  private static void quote(StringBuilder sb, String s, boolean loneSurrogateEscaped) {
    sb.append('"');
    int n = s.length();
    int start = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
        continue;
      }
      if (c == 0x7f || (c > 0x7f && c != '\u2028' && c != '\u2029' && !isSurrogate(c))) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
        continue;
      }
      sb.append(s, start, i);
      start = i + 1;
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (isSurrogate(c)) {
            if (loneSurrogateEscaped) {
              sb.append("\\ufffd");
            } else {
              sb.append(REPLACEMENT);
            }
          } else {
            sb.append("\\u")
                .append(HEX[c >> 12])
                .append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
          }
        }
      }
    }
    sb.append(s, start, n);
    sb.append('"');
  }

  /** The string as Go's decoder would hand it over: unpaired surrogates replaced by U+FFFD. */
  static String wellFormed(String s) {
    int n = s.length();
    StringBuilder out = null;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (!isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
        continue;
      }
      if (out == null) {
        out = new StringBuilder(s);
      }
      out.setCharAt(i, REPLACEMENT);
    }
    return out == null ? s : out.toString();
  }

  private static boolean isSurrogate(char c) {
    return c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE;
  }

  private static int codePointOrderKey(char c) {
    if (c < Character.MIN_SURROGATE) {
      return c;
    }
    return c >= 0xE000 ? c - 0x800 : c + 0x2000;
  }
}
