package io.sealsync.platform;

import io.sealsync.platform.BreakableJson.Arr;
import io.sealsync.platform.BreakableJson.Bytes;
import io.sealsync.platform.BreakableJson.Location;
import io.sealsync.platform.BreakableJson.Obj;
import io.sealsync.platform.BreakableJson.Raw;
import io.sealsync.platform.BreakableJson.Str;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The building blocks of malformed requests: bad JSON values, broken bodies, absurd query values,
 * garbage path segments, wrong methods and content types. Every choice comes from the caller's
 * {@link Random}, so one seed always yields the same requests.
 */
final class Mutations {
  private Mutations() {}

  static <T> T pick(Random r, List<T> options) {
    return options.get(r.nextInt(options.size()));
  }

  @SafeVarargs
  static <T> T pick(Random r, T... options) {
    return options[r.nextInt(options.length)];
  }

  /** One of several strings, built only when chosen (some are large). */
  @SafeVarargs
  static String lazy(Random r, java.util.function.Supplier<String>... options) {
    return options[r.nextInt(options.length)].get();
  }

  // ---- JSON values ----

  /** A value of another JSON type than a field usually has. */
  static BreakableJson wrongType(Random r) {
    return pick(
        r,
        new Str("str"),
        new Str(""),
        new Raw("123"),
        new Raw("-1"),
        new Raw("1.5"),
        new Raw("true"),
        new Raw("false"),
        BreakableJson.NULL,
        new Raw("[]"),
        new Raw("{}"),
        new Raw("[1,2,3]"),
        new Raw("{\"a\":1}"),
        new Raw("[null]"),
        new Raw("[\"x\"]"));
  }

  /** Numbers at and beyond every limit: huge digit strings and exponents, 64-bit edges. */
  static Raw hugeNumber(Random r) {
    return new Raw(
        lazy(
            r,
            () -> "1".repeat(100_000),
            () -> "9".repeat(1_101),
            () -> "1".repeat(1_100),
            () -> "-" + "9".repeat(5_000),
            () -> "1" + "0".repeat(20_000),
            () -> "0." + "0".repeat(5_000) + "1",
            () -> "1." + "5".repeat(3_000),
            () -> "1e999999999",
            () -> "-1e999999999",
            () -> "1e-999999999",
            () -> "1e2147483647",
            () -> "1e2147483648",
            () -> "1e-2147483648",
            () -> "1E+9223372036854775807",
            () -> "1e400",
            () -> "-1e400",
            () -> "4.9e-325",
            () -> "9223372036854775807",
            () -> "9223372036854775808",
            () -> "-9223372036854775809",
            () -> "18446744073709551616",
            () -> "9007199254740992",
            () -> "9007199254740993",
            () -> "1.0000000000000000000001",
            () -> "-0",
            () -> "-0.0",
            () -> "0e0",
            () -> "1.0",
            () -> "-1",
            () -> "0.5",
            () -> "2147483648",
            () -> "-2147483649",
            () -> "123456789012345678901234567890.5e-3"));
  }

  /** Tokens that look like numbers but are not JSON. */
  static Raw notANumber(Random r) {
    return new Raw(
        pick(
            r,
            "01",
            "+1",
            ".5",
            "1.",
            "1e",
            "--1",
            "0x10",
            "NaN",
            "Infinity",
            "-Infinity",
            "1_000",
            "1,5",
            "١",
            "0b1",
            "1e+",
            "- 1",
            "undefined",
            "nul",
            "tru"));
  }

  /** Long strings: within the body caps and beyond them. */
  static Str hugeString(Random r, int maxLength) {
    int n = Math.min(maxLength, pick(r, 1_000, 10_000, 100_000, 1_000_000));
    return new Str(
        lazy(
            r,
            () -> "a".repeat(n),
            () -> randomText(r, n, "abcdefghijklmnopqrstuvwxyz0123456789"),
            () -> randomText(r, n, "é漢字ßЖ\u0301"),
            () -> "\uD83D\uDE00".repeat(n / 2 + 1)));
  }

  /** Strings that storage, logs or parsers choke on. */
  static Str specialString(Random r) {
    return new Str(
        pick(
            r,
            "",
            " ",
            "\u0000",
            "a\u0000b",
            "\uD800",
            "\uDC00x",
            "x\uDBFF",
            "\uD83D\uDE00",
            "\u202Eevil",
            "\uFEFF",
            "\n\r\t",
            "\u0001\u001F\u007F",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "%00",
            "%",
            "../../etc/passwd",
            "\u2028\u2029",
            "null",
            "true",
            "0",
            "-1",
            "9".repeat(30),
            "\\",
            "\"",
            "e\u0301\u0301\u0301",
            "\uFFFF\uFFFE",
            "ＡＢＣ",
            "a".repeat(129),
            "\t a \t"));
  }

  /** Arrays or objects nested {@code depth} deep, around the parsers' depth limits. */
  static Raw deepNesting(Random r) {
    int depth = pick(r, 2, 64, 999, 1_000, 1_001, 2_000, 20_000, 100_000);
    boolean arrays = r.nextBoolean();
    StringBuilder sb = new StringBuilder(depth * 6);
    for (int i = 0; i < depth; i++) {
      sb.append(arrays ? "[" : "{\"a\":");
    }
    sb.append(r.nextBoolean() ? "1" : "");
    for (int i = 0; i < depth; i++) {
      sb.append(arrays ? "]" : "}");
    }
    return new Raw(sb.toString());
  }

  /** Byte sequences that are not UTF-8, alone or inside a string's quotes. */
  static Bytes invalidUtf8(Random r) {
    byte[] bad =
        pick(
            r,
            new byte[] {(byte) 0xFF},
            new byte[] {(byte) 0xFE, (byte) 0xFF},
            new byte[] {(byte) 0xC0, (byte) 0xAF},
            new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            new byte[] {(byte) 0xC3},
            new byte[] {(byte) 0xE2, (byte) 0x82},
            new byte[] {(byte) 0x80},
            new byte[] {0x00});
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean quoted = r.nextInt(4) != 0;
    if (quoted) {
      out.write('"');
      out.writeBytes("ab".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(bad);
    if (quoted) {
      out.writeBytes("cd\"".getBytes(StandardCharsets.US_ASCII));
    }
    return new Bytes(out.toByteArray());
  }

  /** Any bad value, by kind; {@code maxString} keeps long strings within a family's cap. */
  static Mutant<BreakableJson> badValue(Random r, int maxString) {
    switch (r.nextInt(8)) {
      case 0:
        return new Mutant<>("wrong-type", wrongType(r));
      case 1:
      case 2:
        return new Mutant<>("huge-number", hugeNumber(r));
      case 3:
        return new Mutant<>("not-a-number", notANumber(r));
      case 4:
        return new Mutant<>("huge-string", hugeString(r, maxString));
      case 5:
        return new Mutant<>("special-string", specialString(r));
      case 6:
        return new Mutant<>("deep-nesting", deepNesting(r));
      default:
        return new Mutant<>("invalid-utf8", invalidUtf8(r));
    }
  }

  /** A label for what was done, and the result. */
  record Mutant<T>(String kind, T value) {}

  // ---- JSON documents ----

  /**
   * One structural change to a valid document: a member's value replaced, a member dropped,
   * duplicated or renamed, or members added. Returns empty when the document has no members.
   */
  static Mutant<BreakableJson> mutateMember(Random r, BreakableJson doc, int maxString) {
    List<Location> at = doc.locations();
    if (at.isEmpty()) {
      return new Mutant<>("extra-members", addMembers(r, doc));
    }
    Location loc = pick(r, at);
    int op = r.nextInt(10);
    if (op < 5) {
      Mutant<BreakableJson> v = badValue(r, maxString);
      return new Mutant<>(
          "value " + loc.name() + " " + v.kind(), doc.replace(loc, old -> v.value()));
    }
    if (op == 5) {
      return new Mutant<>("drop " + loc.name(), doc.editParent(loc, Mutations::remove));
    }
    if (op == 6 || op == 7) {
      Mutant<BreakableJson> v = badValue(r, maxString);
      boolean badFirst = r.nextBoolean();
      return new Mutant<>(
          "duplicate " + loc.name() + " " + v.kind(),
          doc.editParent(loc, (c, i) -> duplicate(c, i, v.value(), badFirst)));
    }
    if (op == 8) {
      String name = pick(r, "", " ", "A", "\u0000", "\uD800", "__proto__", "constructor", "é");
      return new Mutant<>(
          "rename " + loc.name(), doc.editParent(loc, (c, i) -> rename(c, i, name)));
    }
    return new Mutant<>("extra-members", addMembers(r, doc));
  }

  private static BreakableJson remove(BreakableJson container, int index) {
    if (container instanceof Obj o) {
      List<Map.Entry<String, BreakableJson>> m = new ArrayList<>(o.members());
      m.remove(index);
      return new Obj(m);
    }
    List<BreakableJson> items = new ArrayList<>(((Arr) container).items());
    items.remove(index);
    return new Arr(items);
  }

  private static BreakableJson duplicate(
      BreakableJson container, int index, BreakableJson other, boolean otherFirst) {
    if (container instanceof Obj o) {
      List<Map.Entry<String, BreakableJson>> m = new ArrayList<>(o.members());
      m.add(otherFirst ? index : index + 1, Map.entry(m.get(index).getKey(), other));
      return new Obj(m);
    }
    List<BreakableJson> items = new ArrayList<>(((Arr) container).items());
    items.add(otherFirst ? index : index + 1, items.get(index));
    return new Arr(items);
  }

  private static BreakableJson rename(BreakableJson container, int index, String name) {
    if (container instanceof Obj o) {
      List<Map.Entry<String, BreakableJson>> m = new ArrayList<>(o.members());
      String old = m.get(index).getKey();
      String renamed = name.equals("A") ? old.toUpperCase(java.util.Locale.ROOT) : old + name;
      m.set(index, Map.entry(renamed, m.get(index).getValue()));
      return new Obj(m);
    }
    return container;
  }

  private static BreakableJson addMembers(Random r, BreakableJson doc) {
    if (!(doc instanceof Obj o)) {
      return doc;
    }
    List<Map.Entry<String, BreakableJson>> m = new ArrayList<>(o.members());
    int n = pick(r, 1, 3, 1_000);
    for (int i = 0; i < n; i++) {
      m.add(r.nextInt(m.size() + 1), Map.entry("unknown_" + i, wrongType(r)));
    }
    return new Obj(m);
  }

  /** The valid body cut short: any proper prefix of a JSON object is not JSON. */
  static byte[] truncate(Random r, byte[] body) {
    return java.util.Arrays.copyOf(body, r.nextInt(Math.max(1, body.length)));
  }

  /** One character inserted, deleted or replaced by JSON punctuation or a stray byte. */
  static byte[] breakSyntax(Random r, byte[] body) {
    byte[] tokens = "{}[]:,\"\\'".getBytes(StandardCharsets.US_ASCII);
    int at = r.nextInt(body.length + 1);
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 2);
    out.write(body, 0, at);
    switch (r.nextInt(3)) {
      case 0 -> out.write(tokens[r.nextInt(tokens.length)]);
      case 1 -> {
        // Deleting the closing brace, a quote or a colon breaks the document for sure; any other
        // byte might not, so a token is inserted too.
        out.write(tokens[r.nextInt(tokens.length)]);
        at = Math.min(body.length, at + 1);
      }
      default -> out.write(pick(r, 0x00, 0x01, 0x7F, 0xFF, 0x23, 0x2F, 0x3D));
    }
    out.write(body, at, body.length - at);
    return out.toByteArray();
  }

  /** Something after the document. */
  static byte[] trailingGarbage(Random r, byte[] body) {
    String tail = pick(r, "x", "}", "{}", ",", " null", "\n{\"a\":1}", "]", "//", "\u0000");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(body);
    out.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /**
   * A body that is not one JSON object: another JSON type, nothing, or the valid object wrapped.
   */
  static Mutant<byte[]> notAnObject(Random r, byte[] valid) {
    String v = new String(valid, StandardCharsets.UTF_8);
    String[] kinds = {
      "[]",
      "[" + v + "]",
      "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"",
      "null",
      "0",
      "true",
      "\"\"",
      "",
      "   ",
      "\n",
      "{\"a\":" + "1".repeat(100_000) + "}",
      "{\"a\":" + "1".repeat(1_200) + "}",
      "[" + "1".repeat(100_000) + "]",
      "1".repeat(100_000)
    };
    int i = r.nextInt(kinds.length);
    String label =
        switch (i) {
          case 0 -> "array";
          case 1 -> "wrapped-in-array";
          case 2 -> "string";
          case 3 -> "null";
          case 4 -> "number";
          case 5 -> "boolean";
          case 6 -> "empty-string";
          case 7 -> "empty-body";
          case 8, 9 -> "whitespace-body";
          case 10, 11 -> "object-with-huge-number";
          default -> "huge-number";
        };
    return new Mutant<>(label, kinds[i].getBytes(StandardCharsets.UTF_8));
  }

  /** The whole body nested absurdly deep (as a JSON value that is not an object). */
  static byte[] deepBody(Random r) {
    return deepNesting(r).text().getBytes(StandardCharsets.UTF_8);
  }

  /** The same document in another encoding, or with a byte order mark. */
  static Mutant<byte[]> reencode(Random r, byte[] valid) {
    String text = new String(valid, StandardCharsets.UTF_8);
    String cs = pick(r, "UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-16", "BOM", "ISO-8859-1");
    if (cs.equals("BOM")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(0xEF);
      out.write(0xBB);
      out.write(0xBF);
      out.writeBytes(valid);
      return new Mutant<>("utf8-bom", out.toByteArray());
    }
    return new Mutant<>("encoding " + cs, text.getBytes(Charset.forName(cs)));
  }

  /** A document padded with whitespace to {@code size} bytes, or longer by a junk member. */
  static byte[] padded(byte[] valid, long size) {
    int n = (int) Math.max(0, size - valid.length);
    byte[] out = new byte[valid.length + n];
    java.util.Arrays.fill(out, 0, n, (byte) ' ');
    System.arraycopy(valid, 0, out, n, valid.length);
    return out;
  }

  // ---- HTTP ----

  /** Content types a client might send by mistake (null: no header at all). */
  static String contentType(Random r) {
    return pick(
        r,
        null,
        "text/plain",
        "application/xml",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz",
        "application/json; charset=utf-16",
        "application/json; charset=nope",
        "*/*",
        "garbage",
        "application/json, text/plain",
        "application/" + "x".repeat(3_000),
        "application/octet-stream",
        "text/event-stream",
        "application/json;;;==");
  }

  static String accept(Random r) {
    return pick(
        r,
        "text/html",
        "application/xml",
        "*/*;q=0",
        "garbage",
        "text/event-stream",
        "application/json;q=abc",
        "image/png, application/pdf");
  }

  /** Methods other than a route's own, including unknown and WebDAV ones. */
  static String method(Random r, String not) {
    String m;
    do {
      m =
          pick(
              r,
              "GET",
              "POST",
              "PUT",
              "DELETE",
              "PATCH",
              "HEAD",
              "OPTIONS",
              "TRACE",
              "FOO",
              "PROPFIND",
              "MKCOL",
              "LOCK",
              "get",
              "Post",
              "X-CUSTOM-METHOD-WITH-A-LONG-NAME");
    } while (m.equalsIgnoreCase(not));
    return m;
  }

  /**
   * Whether a method is a standard one spelled in another case: servers may treat it as the
   * standard one (the Fetch standard normalizes these six, so the reference server did too).
   */
  static boolean lenientSpelling(String method) {
    String upper = method.toUpperCase(java.util.Locale.ROOT);
    return !upper.equals(method)
        && List.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS").contains(upper);
  }

  /** A query value: out of range, not a number, badly encoded. Already percent-encoded. */
  static String absurdQueryValue(Random r) {
    return lazy(
        r,
        () -> "",
        () -> "%20",
        () -> "-1",
        () -> "-2",
        () -> "0",
        () -> "1.5",
        () -> "1e3",
        () -> "1e400",
        () -> "NaN",
        () -> "Infinity",
        () -> "-Infinity",
        () -> "0x10",
        () -> "9223372036854775807",
        () -> "9223372036854775808",
        () -> "-9223372036854775809",
        () -> "9".repeat(pick(r, 30, 5_000)),
        () -> "1" + "0".repeat(5_000) + "x",
        () -> "abc",
        () -> "%00",
        () -> "%FF",
        () -> "%",
        () -> "%zz",
        () -> "+",
        () -> "%2B5",
        () -> "%D9%A1%D9%A2",
        () -> "5%00",
        () -> "5%20",
        () -> "true",
        () -> "%5B%5D",
        () -> "2147483648",
        () -> "-2147483649",
        () -> "%C0%AF");
  }

  /** A path segment that is no id: encoded garbage, overlong, dots, slashes. Already encoded. */
  static String garbageSegment(Random r) {
    return lazy(
        r,
        () -> "x",
        () -> "%",
        () -> "%zz",
        () -> "%00",
        () -> "%FF",
        () -> "%C0%AF",
        () -> "%ED%A0%80",
        () -> "%F0%9F%98%80",
        () -> "%2F",
        () -> "%2e%2e",
        () -> "..",
        () -> ".",
        () -> "a".repeat(pick(r, 129, 1_000, 5_000)),
        () -> "%E2%80%AE",
        () -> "%20",
        () -> "null",
        () -> "-1",
        () -> "0",
        () -> "9223372036854775808",
        () -> "x;jsessionid=abc",
        () -> "%3B",
        () -> "%3F",
        () -> "%23");
  }

  /** Ids of the UUID kind that name no session: never a session's id in any spelling. */
  static String badUuid(Random r, java.util.UUID someUuid) {
    String u = someUuid.toString();
    return lazy(
        r,
        () -> "abc",
        () -> u + "x",
        () -> "00000000-0000-0000-0000-000000000000",
        () -> java.util.UUID.randomUUID().toString(),
        () -> "%00",
        () -> "%FF",
        () -> "a".repeat(5_000),
        () -> "-1",
        () -> u.replace('-', '_'),
        () -> u.substring(0, 35) + "g",
        () -> u + "-" + u);
  }

  /**
   * Other spellings of a session's own id: a server may read some of them as that id (UUID parsers
   * differ), so they carry no expectation and are never used to delete.
   */
  static String respelledUuid(Random r, java.util.UUID id) {
    String u = id.toString();
    return pick(
        r,
        u.toUpperCase(java.util.Locale.ROOT),
        "%7B" + u + "%7D",
        u.replace("-", ""),
        u.substring(1),
        "urn:uuid:" + u,
        "%20" + u);
  }

  /** Spellings of 1 that some number parsers accept. */
  static final java.util.Set<String> LENIENT_ONE =
      java.util.Set.of("%2B1", "00000000000000000001", "%D9%A1");

  /** Numeric path segments that are not positive 64-bit decimals. Already encoded. */
  static String badNumberSegment(Random r) {
    return pick(
        r,
        "0",
        "-1",
        "abc",
        "1e3",
        "1.5",
        "9223372036854775808",
        "-9223372036854775809",
        "%D9%A1",
        "0x1",
        "%2B1",
        "%201",
        "1%00",
        "Infinity",
        "NaN",
        "99999999999999999999999999999999",
        "%FF",
        "00000000000000000001");
  }

  static String randomText(Random r, int n, String alphabet) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  static String randomToken(Random r, int n) {
    return randomText(r, n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
  }
}
