package io.sealsync.rowsync.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.rowsync.codec.CanonicalJson.LogicalRow;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Expected values come from the spec's vectors or from the reference behaviour itself: Go's {@code
 * json.Unmarshal} into {@code any} followed by {@code json.Marshal}, run on the same inputs.
 */
class CanonicalJsonTest {

  // ---------------------------------------------------------------------------------------------
  // bundle_hash (§11.2)

  private static final String R1 =
      "[{\"key\":{\"id\":\"row-1\"},\"op\":\"INSERT\",\"payload\":{\"email\":\"alice@example.com\","
          + "\"name\":\"Alice\"},\"row_ordinal\":0,\"row_version\":3,\"schema\":\"public\","
          + "\"table\":\"users\"}]";
  private static final String R2 =
      "[{\"key\":{\"id\":\"row-1\"},\"op\":\"DELETE\",\"payload\":null,\"row_ordinal\":0,"
          + "\"row_version\":3,\"schema\":\"public\",\"table\":\"users\"}]";

  @Test
  void vectorR1() {
    List<LogicalRow> rows =
        List.of(
            new LogicalRow(
                "public",
                "users",
                "id",
                "row-1",
                "INSERT",
                3,
                CanonicalJson.canonicalize(
                    "{\"name\":\"Alice\",\"email\":\"alice@example.com\"}")));
    String canonical = CanonicalJson.logicalRows(rows);
    assertEquals(R1, canonical);
    assertEquals(159, canonical.getBytes(UTF_8).length);
    assertEquals(
        "677c5687bb91a8c2d34bc9e2e4f8c1d47981957bd876ba090c39b5e263d26b78",
        CanonicalJson.bundleHash(rows));
  }

  @Test
  void vectorR2() {
    List<LogicalRow> rows =
        List.of(new LogicalRow("public", "users", "id", "row-1", "DELETE", 3, null));
    String canonical = CanonicalJson.logicalRows(rows);
    assertEquals(R2, canonical);
    assertEquals(119, canonical.getBytes(UTF_8).length);
    assertEquals(
        "2e8caab98f22f784d964de330777ac4432f32026074d59f9471205893d3ffd84",
        CanonicalJson.bundleHash(rows));
  }

  /** The spec defines logicalRows as "serialize, then canonicalize"; the fast path must agree. */
  @Test
  void vectorsAgreeWithCanonicalizingTheSerializedRows() {
    assertEquals(
        R1,
        CanonicalJson.canonicalize(
            "[{\"row_ordinal\":0,\"schema\":\"public\",\"table\":\"users\",\"key\":{\"id\":"
                + "\"row-1\"},\"op\":\"INSERT\",\"row_version\":3,\"payload\":{\"name\":\"Alice\","
                + "\"email\":\"alice@example.com\"}}]"));
    assertEquals(
        R2,
        CanonicalJson.canonicalize(
            "[{\"row_ordinal\":0,\"schema\":\"public\",\"table\":\"users\",\"key\":{\"id\":"
                + "\"row-1\"},\"op\":\"DELETE\",\"row_version\":3,\"payload\":null}]"));
  }

  /** Escapes in every string field, a -0 in a payload, and versions that do not fit a double. */
  @Test
  void multiRowBundleMatchesGo() {
    List<LogicalRow> rows =
        List.of(
            new LogicalRow(
                "public",
                "users",
                "id",
                "row-<1>&\"q\"",
                "INSERT",
                9007199254740993L,
                CanonicalJson.canonicalize(
                    "{\"z\":1,\"a\":\"\\u00e9\\ud83d\\ude00\\u2028\",\"n\":null,"
                        + "\"arr\":[1.5,-0.0,1e21,0.1]}")),
            new LogicalRow("s\u00e9", "t", "k\u0001", "v\\", "DELETE", 1, null),
            new LogicalRow(
                "public", "\uD83D\uDE00", "id", "\uE000", "UPDATE", Long.MAX_VALUE, "{}"));
    String expected =
        "[{\"key\":{\"id\":\"row-\\u003c1\\u003e\\u0026\\\"q\\\"\"},\"op\":\"INSERT\","
            + "\"payload\":{\"a\":\"\u00e9\uD83D\uDE00\\u2028\",\"arr\":[1.5,-0,1e+21,0.1],"
            + "\"n\":null,\"z\":1},\"row_ordinal\":0,\"row_version\":9007199254740992,"
            + "\"schema\":\"public\",\"table\":\"users\"},"
            + "{\"key\":{\"k\\u0001\":\"v\\\\\"},\"op\":\"DELETE\",\"payload\":null,"
            + "\"row_ordinal\":1,\"row_version\":1,\"schema\":\"s\u00e9\",\"table\":\"t\"},"
            + "{\"key\":{\"id\":\"\uE000\"},\"op\":\"UPDATE\",\"payload\":{},\"row_ordinal\":2,"
            + "\"row_version\":9223372036854776000,\"schema\":\"public\","
            + "\"table\":\"\uD83D\uDE00\"}]";
    String canonical = CanonicalJson.logicalRows(rows);
    assertEquals(expected, canonical);
    assertEquals(458, canonical.getBytes(UTF_8).length);
    assertEquals(
        "93989b3a3c79a306a3bc788de1ee90470767758e2f3d0cf198af7b6a54490957",
        CanonicalJson.bundleHash(rows));
    assertEquals(canonical, CanonicalJson.canonicalize(canonical), "already canonical");
  }

  /** row_ordinal counts from 0 per bundle and the hash covers the UTF-8 bytes, not UTF-16. */
  @Test
  void ordinalsAndHashOfNonAsciiRows() {
    List<LogicalRow> rows = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      rows.add(new LogicalRow("sch\u00e9ma", "t", "id", "\uD83D\uDE00" + i, "INSERT", i, "{}"));
    }
    String canonical = CanonicalJson.logicalRows(rows);
    for (int i = 0; i < 12; i++) {
      assertTrue(canonical.contains("\"row_ordinal\":" + i + ",\"row_version\":" + i + ","));
    }
    assertEquals(canonical, CanonicalJson.canonicalize(canonical));
    assertEquals(sha256Hex(canonical.getBytes(UTF_8)), CanonicalJson.bundleHash(rows));
  }

  @Test
  void emptyBundle() {
    assertEquals("[]", CanonicalJson.logicalRows(List.of()));
    assertEquals(
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
        CanonicalJson.bundleHash(List.of()));
  }

  @Test
  void logicalRowRefusesMissingFields() {
    assertThrows(
        NullPointerException.class, () -> new LogicalRow(null, "t", "id", "1", "INSERT", 1, "{}"));
    assertThrows(
        NullPointerException.class, () -> new LogicalRow("s", "t", "id", null, "INSERT", 1, "{}"));
  }

  // ---------------------------------------------------------------------------------------------
  // Object keys

  /**
   * UTF-16 order puts the emoji (surrogates D83D..) before U+E000..U+FFFF; UTF-8 byte order, which
   * Go uses, puts it after them.
   */
  @Test
  void keysAreSortedByUtf8BytesNotUtf16() {
    assertTrue("\uD83D\uDE00".compareTo("\uE000") < 0, "the trap this test guards against");
    assertEquals(
        "{\"\":5,\"a\":4,\"\uE000\":3,\"\uFFFD\":2,\"\uFFFF\":6,\"\uD83D\uDE00\":1}",
        CanonicalJson.canonicalize(
            "{\"\uD83D\uDE00\":1,\"\uFFFD\":2,\"\uE000\":3,\"a\":4,\"\":5,\"\uFFFF\":6}"));
  }

  @Test
  void keyComparatorAgreesWithUtf8ByteOrder() {
    String[] pool = {
      "a",
      "b",
      "\u007f",
      "\u0080",
      "\u00e9",
      "\u07ff",
      "\u0800",
      "\uD7FF",
      "\uE000",
      "\uFFFD",
      "\uFFFF",
      "\uD800\uDC00",
      "\uD83D\uDE00",
      "\uDBFF\uDFFF"
    };
    Random random = new Random(11);
    for (int n = 0; n < 20_000; n++) {
      String x = randomString(random, pool);
      String y = randomString(random, pool);
      int expected = Integer.signum(Arrays.compareUnsigned(x.getBytes(UTF_8), y.getBytes(UTF_8)));
      assertEquals(expected, Integer.signum(CanonicalJson.UTF8_ORDER.compare(x, y)), x + " / " + y);
    }
  }

  @Test
  void duplicateKeysKeepTheLastValueLikeGo() {
    assertEquals("{\"a\":2,\"b\":3}", CanonicalJson.canonicalize("{\"a\":1,\"b\":3,\"a\":2}"));
  }

  // ---------------------------------------------------------------------------------------------
  // Numbers

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "9007199254740993        | 9007199254740992",
        "1e21                    | 1e+21",
        "1e20                    | 100000000000000000000",
        "1e-7                    | 1e-7",
        "0.000001                | 0.000001",
        "100e-8                  | 0.000001",
        "9.999999e-7             | 9.999999e-7",
        "1.5                     | 1.5",
        "-1.5                    | -1.5",
        "-0                      | -0",
        "-0.0e5                  | -0",
        "0                       | 0",
        "-1e-400                 | -0",
        "1e-400                  | 0",
        "0.30000000000000004     | 0.30000000000000004",
        "5e-324                  | 5e-324",
        "1.7976931348623157e308  | 1.7976931348623157e+308",
        "123456789012345680000   | 123456789012345680000",
        "1.2345678901234568e20   | 123456789012345680000",
        "9.999999999999999e20    | 999999999999999900000",
        "3.0                     | 3",
        "2.50                    | 2.5",
        "1E+2                    | 100",
        "0.1e1                   | 1",
        "1e-10                   | 1e-10",
        "1.2345e-7               | 1.2345e-7",
        "123e-20                 | 1.23e-18",
        "1.5e300                 | 1.5e+300",
        "1e100                   | 1e+100",
        "2.5e-5                  | 0.000025",
        "-9007199254740991       | -9007199254740991",
      })
  void numbersInJsonText(String json, String expected) {
    assertEquals(expected, CanonicalJson.canonicalize(json));
  }

  static Stream<Arguments> doubles() {
    return Stream.of(
        Arguments.of(0.1 + 0.2, "0.30000000000000004"),
        Arguments.of(-0.0, "-0"),
        Arguments.of(0.0, "0"),
        Arguments.of(Double.MIN_VALUE, "5e-324"),
        Arguments.of(-Double.MIN_VALUE, "-5e-324"),
        Arguments.of(Double.MAX_VALUE, "1.7976931348623157e+308"),
        Arguments.of(Double.MIN_NORMAL, "2.2250738585072014e-308"),
        Arguments.of(1e21, "1e+21"),
        Arguments.of(Math.nextDown(1e21), "999999999999999900000"),
        Arguments.of(1e-6, "0.000001"),
        Arguments.of(Math.nextDown(1e-6), "9.999999999999997e-7"),
        Arguments.of(0x1p53, "9007199254740992"),
        Arguments.of((double) Long.MAX_VALUE, "9223372036854776000"),
        Arguments.of(1.0 / 3, "0.3333333333333333"),
        Arguments.of(100.0, "100"),
        // Double.toString on JDK 17 prints these with a superfluous digit.
        Arguments.of(2e-3, "0.002"),
        Arguments.of(0x1p-44, "5.684341886080802e-14"),
        Arguments.of(1e23, "1e+23"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("doubles")
  void formatNumber(double d, String expected) {
    assertEquals(expected, CanonicalJson.formatNumber(d));
  }

  /**
   * Go's output for powers of two (where the interval that parses back is lopsided), the edges of
   * the plain/exponent switch and of 2^53, and a sample of arbitrary doubles; see the file header.
   */
  @Test
  void formatNumberMatchesGoOnThousandsOfDoubles() throws IOException {
    List<String> mismatches = new ArrayList<>();
    int checked = 0;
    try (InputStream in = getClass().getResourceAsStream("go-float64-encoding.txt");
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("#")) {
          continue;
        }
        String[] fields = line.split(" ");
        double d = Double.longBitsToDouble(Long.parseUnsignedLong(fields[0], 16));
        String actual = CanonicalJson.formatNumber(d);
        if (!actual.equals(fields[1])) {
          mismatches.add(line + " but got " + actual);
        }
        checked++;
      }
    }
    assertTrue(checked > 3000, "vectors read: " + checked);
    assertEquals(List.of(), mismatches);
  }

  @Test
  void numberArrayMatchesGoByteForByte() {
    String canonical =
        CanonicalJson.canonicalize(
            "[-0, -0.0, -1e-400, 1e-400, 9007199254740993, 1e21, 1e20, 1e-7, 0.000001, 1.5,"
                + " 5e-324, 1.7976931348623157e308, 123456789012345680000, 0.30000000000000004,"
                + " 1e-10, 1.2345e-7, 1.5e300, 100, 1E2, 2.5e-5]");
    assertEquals(
        "[-0,-0,-0,0,9007199254740992,1e+21,100000000000000000000,1e-7,0.000001,1.5,5e-324,"
            + "1.7976931348623157e+308,123456789012345680000,0.30000000000000004,1e-10,1.2345e-7,"
            + "1.5e+300,100,100,0.000025]",
        canonical);
    assertEquals(
        "27130909a5e107c00603ac811597be9bd8de5d3bfc7265b138ba977e8d050295",
        sha256Hex(canonical.getBytes(UTF_8)));
  }

  @ParameterizedTest
  @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
  void formatNumberRefusesWhatJsonCannotSay(double d) {
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.formatNumber(d));
  }

  /** Go's decoder fails on numbers beyond the double range rather than making them infinite. */
  @ParameterizedTest
  @ValueSource(strings = {"1e400", "-1e400", "[1e309]"})
  void numbersBeyondDoubleRangeAreRefused(String json) {
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.canonicalize(json));
  }

  // ---------------------------------------------------------------------------------------------
  // Strings

  static Stream<Arguments> quoted() {
    return Stream.of(
        Arguments.of("", "\"\""),
        Arguments.of("plain text / 123", "\"plain text / 123\""),
        Arguments.of("<>&", "\"\\u003c\\u003e\\u0026\""),
        Arguments.of("\u2028\u2029", "\"\\u2028\\u2029\""),
        Arguments.of("\u0000\u0001\u000b\u001f", "\"\\u0000\\u0001\\u000b\\u001f\""),
        Arguments.of("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\""),
        Arguments.of("\"", "\"\\\"\""),
        Arguments.of("\\", "\"\\\\\""),
        Arguments.of("\u007f\u0080\u00a0\u2027\u202a", "\"\u007f\u0080\u00a0\u2027\u202a\""),
        Arguments.of("\u00e9", "\"\u00e9\""),
        Arguments.of("\uD83D\uDE00", "\"\uD83D\uDE00\""),
        Arguments.of("\uFFFD\uFFFF", "\"\uFFFD\uFFFF\""),
        Arguments.of("\uD800", "\"\\ufffd\""),
        Arguments.of("\uDC00", "\"\\ufffd\""),
        Arguments.of("a\uDC00\uD800b", "\"a\\ufffd\\ufffdb\""),
        Arguments.of("x\uD83D", "\"x\\ufffd\""),
        Arguments.of(
            "<a href=\"x\">\u00e9</a>\n",
            "\"\\u003ca href=\\\"x\\\"\\u003e\u00e9\\u003c/a\\u003e\\n\""));
  }

  @ParameterizedTest
  @MethodSource("quoted")
  void quote(String s, String expected) {
    StringBuilder sb = new StringBuilder("prefix:");
    CanonicalJson.quote(sb, s);
    assertEquals("prefix:" + expected, sb.toString());
  }

  @Test
  void stringEscapesMatchGoByteForByte() {
    String canonical =
        CanonicalJson.canonicalize(
            "\"\\ud800x\\udc00\\ud83d\\ude00 <>& \\u2028\\u2029 \\u0001\\u001f\\b\\f\\n\\r\\t"
                + "\\u007f \u00e9\"");
    assertEquals(
        "\"\uFFFDx\uFFFD\uD83D\uDE00 \\u003c\\u003e\\u0026 \\u2028\\u2029 \\u0001\\u001f\\b\\f\\n"
            + "\\r\\t\u007f \u00e9\"",
        canonical);
    assertEquals(72, canonical.getBytes(UTF_8).length);
    assertEquals(
        "f0529b2b1bcefd90274f1464dd4c4d2b226e5f1a27c17fba2ef35b69f55cf5d3",
        sha256Hex(canonical.getBytes(UTF_8)));
  }

  /**
   * Go's decoder turns an unpaired surrogate (escaped, or invalid UTF-8 in the text) into a raw
   * U+FFFD before encoding, so canonical bytes hold U+FFFD itself, never the {@code \}{@code ufffd}
   * escape that {@link CanonicalJson#quote} writes; keys that become equal that way collapse, last
   * wins.
   */
  @Test
  void unpairedSurrogatesBecomeTheReplacementCharacterLikeGo() {
    assertEquals("\"\uFFFD\"", CanonicalJson.canonicalize("\"\\ud800\""));
    assertEquals("[\"a\uFFFDb\"]", CanonicalJson.canonicalize("[\"a\uD800b\"]"));
    assertEquals("{\"\uFFFD\":2}", CanonicalJson.canonicalize("{\"\\ud800\":1,\"\\udbff\":2}"));
    assertEquals("\"\uFFFD\"", CanonicalJson.canonicalize(Json.createValue("\uDC00")));
    assertEquals(
        "[{\"key\":{\"id\":\"\uFFFD\"},\"op\":\"DELETE\",\"payload\":null,\"row_ordinal\":0,"
            + "\"row_version\":1,\"schema\":\"s\",\"table\":\"t\"}]",
        CanonicalJson.logicalRows(
            List.of(new LogicalRow("s", "t", "id", "\uD800", "DELETE", 1, null))));
  }

  // ---------------------------------------------------------------------------------------------
  // Structure and input

  @Test
  void nestedValuesLoseAllWhitespace() {
    String canonical =
        CanonicalJson.canonicalize(
            " \t\r\n{ \"b\" : [ 1 , { \"d\" : null , \"c\" : true } ] , \"a\" : { } ,\n"
                + "  \"e\": [ ] , \"f\":false, \"g\": [[], [{}], \"x y\"] }\n");
    assertEquals(
        "{\"a\":{},\"b\":[1,{\"c\":true,\"d\":null}],\"e\":[],\"f\":false,\"g\":[[],[{}],\"x y\"]}",
        canonical);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {"null|null", "true|true", "false|false", "` 42 `|42", "`\"s\"`|`\"s\"`"})
  void anyJsonValueAtTopLevel(String json, String expected) {
    assertEquals(expected, CanonicalJson.canonicalize(json));
  }

  @Test
  void nestingUpToGosLimit() {
    String deepest = "[".repeat(10_000) + "]".repeat(10_000);
    assertEquals(deepest, CanonicalJson.canonicalize(deepest));
    String objects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    assertEquals(objects, CanonicalJson.canonicalize(objects));
    assertThrows(
        IllegalArgumentException.class,
        () -> CanonicalJson.canonicalize("[".repeat(10_001) + "]".repeat(10_001)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "{",
        "[",
        "]",
        "01",
        "-01",
        "[01]",
        "[1,]",
        "{\"a\":1,}",
        "{\"a\"}",
        "{\"a\" 1}",
        "{a:1}",
        "[1 2]",
        "1 2",
        "{} x",
        "[1]]",
        "nul",
        "truex",
        "NaN",
        "Infinity",
        "+1",
        ".5",
        "1.",
        "1.e5",
        "-",
        "1e",
        "1e+",
        "-0x1",
        "'a'",
        "\"abc",
        "\"\\x\"",
        "\"\\u12\"",
        "\"\u0001\"",
        "\uFEFF1",
        "\u00a01",
        "/*c*/1"
      })
  void invalidJsonIsRefused(String json) {
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.canonicalize(json));
  }

  @Test
  void jsonPValueCanonicalizesLikeItsText() {
    String text =
        "{\"z\":[1.50,\"<\u2028>\",{\"y\":null,\"x\":true}],\"\uD83D\uDE00\":1e21,"
            + "\"\uE000\":-2,\"big\":9007199254740993}";
    JsonValue value = Json.createReader(new StringReader(text)).readValue();
    String expected =
        "{\"big\":9007199254740992,\"z\":[1.5,\"\\u003c\\u2028\\u003e\",{\"x\":true,\"y\":null}],"
            + "\"\uE000\":-2,\"\uD83D\uDE00\":1e+21}";
    assertEquals(expected, CanonicalJson.canonicalize(text));
    assertEquals(expected, CanonicalJson.canonicalize(value));
  }

  @Test
  void writeAppends() {
    StringBuilder sb = new StringBuilder("[");
    CanonicalJson.write(sb, Json.createObjectBuilder().add("b", 1).add("a", "x").build());
    CanonicalJson.write(sb, JsonValue.NULL);
    assertEquals("[{\"a\":\"x\",\"b\":1}null", sb.toString());
  }

  /** JSON-P keeps numbers as BigDecimal; the protocol still sees them as doubles. */
  @Test
  void jsonPNumbersAreTakenAsDoubles() {
    assertEquals(
        "9007199254740992", CanonicalJson.canonicalize(Json.createValue(9007199254740993L)));
    assertEquals(
        "0.30000000000000004",
        CanonicalJson.canonicalize(Json.createValue(new BigDecimal("0.30000000000000004"))));
    assertThrows(
        IllegalArgumentException.class,
        () -> CanonicalJson.canonicalize(Json.createValue(new BigDecimal("1e400"))));
    // BigDecimal has no negative zero, so only the text entry point can keep Go's "-0".
    assertEquals("0", CanonicalJson.canonicalize(Json.createValue(-0.0)));
  }

  // ---------------------------------------------------------------------------------------------

  private static String randomString(Random random, String[] pool) {
    StringBuilder sb = new StringBuilder();
    for (int i = random.nextInt(4); i > 0; i--) {
      sb.append(pool[random.nextInt(pool.length)]);
    }
    return sb.toString();
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
