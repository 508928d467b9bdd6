package io.sealsync.platform;

import java.util.regex.Pattern;

/**
 * JavaScript's {@code Number(string)} and {@code ToInt32}: the reference server parses path and
 * query numbers this way, and its lineage limit depends on the exact semantics.
 */
public final class JsNumbers {
  // Possessive, so that a long digit string that is no number fails in linear time (the greedy
  // form backtracked quadratically: 0.4 s for 7000 digits and a letter).
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(?:[0-9]++(?:\\.[0-9]*+)?|\\.[0-9]++)(?:[eE][+-]?[0-9]++)?");
  private static final Pattern HEX = Pattern.compile("0[xX][0-9a-fA-F]+");
  private static final Pattern OCTAL = Pattern.compile("0[oO][0-7]+");
  private static final Pattern BINARY = Pattern.compile("0[bB][01]+");

  private JsNumbers() {}

  /** {@code Number(s)}: NaN for anything JavaScript would not read as a number. */
  public static double toNumber(String s) {
    String t = stripJsWhitespace(s);
    if (t.isEmpty()) {
      return 0;
    }
    switch (t) {
      case "Infinity":
      case "+Infinity":
        return Double.POSITIVE_INFINITY;
      case "-Infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        break;
    }
    if (DECIMAL.matcher(t).matches()) {
      return Double.parseDouble(t);
    }
    if (HEX.matcher(t).matches()) {
      return radix(t.substring(2), 16);
    }
    if (OCTAL.matcher(t).matches()) {
      return radix(t.substring(2), 8);
    }
    if (BINARY.matcher(t).matches()) {
      return radix(t.substring(2), 2);
    }
    return Double.NaN;
  }

  /** {@code ToInt32(x)}: truncation and wrap-around modulo 2^32; NaN and infinities are 0. */
  public static int toInt32(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return 0;
    }
    double truncated = x < 0 ? Math.ceil(x) : Math.floor(x);
    double mod = truncated % 4294967296.0;
    if (mod < 0) {
      mod += 4294967296.0;
    }
    long asLong = (long) mod;
    return (int) asLong;
  }

  public static boolean isInteger(double x) {
    return !Double.isNaN(x) && !Double.isInfinite(x) && Math.floor(x) == x;
  }

  private static double radix(String digits, int radix) {
    return new java.math.BigInteger(digits, radix).doubleValue();
  }

  private static String stripJsWhitespace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isJsWhitespace(s.charAt(start))) {
      start++;
    }
    while (end > start && isJsWhitespace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  private static boolean isJsWhitespace(char c) {
    return c == '\t'
        || c == '\n'
        || c == 0x0B
        || c == '\f'
        || c == '\r'
        || c == ' '
        || c == 0xA0
        || c == 0xFEFF
        || c == 0x2028
        || c == 0x2029
        || Character.getType(c) == Character.SPACE_SEPARATOR;
  }
}
