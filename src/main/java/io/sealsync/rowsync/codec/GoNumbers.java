package io.sealsync.rowsync.codec;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Numbers as Go's {@code encoding/json} writes a float64: the shortest text that reads back. */
final class GoNumbers {
  /** Digits kept of a double's exact value; see {@link #shortestRoundTrip}. */
  private static final MathContext TRUNCATE_18 = new MathContext(18, RoundingMode.DOWN);

  private static final long[] POW10 = new long[19];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  /** The powers of ten that are exact doubles (5^22 is still below 2^53). */
  private static final double[] DOUBLE_POW10 = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };

  /** Up to 2^53 every integer is a double and its own shortest form, so no digit search. */
  private static final double EXACT_INTEGER_LIMIT = 0x1p53;

  /**
   * Shortest round-trip number formatting of Go's {@code encoding/json}.
   *
   * @throws IllegalArgumentException for NaN and infinities, which Go refuses to encode
   */
  static String format(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("JSON has no representation for " + d);
    }
    if (d == 0) {
      // Go's encoder keeps the sign of zero.
      return Double.doubleToRawLongBits(d) < 0 ? "-0" : "0";
    }
    double abs = Math.abs(d);
    if (abs < EXACT_INTEGER_LIMIT && d == Math.rint(d)) {
      return Long.toString((long) d);
    }
    Decimal shortest = shortestRoundTrip(abs);
    String digits = Long.toString(shortest.digits());
    int n = digits.length();
    // The decimal point sits after the first pointPos digits (before them if negative).
    int pointPos = n + shortest.exponent();
    StringBuilder sb = new StringBuilder(n + 8);
    if (d < 0) {
      sb.append('-');
    }
    if (abs < 1e-6 || abs >= 1e21) {
      sb.append(digits.charAt(0));
      if (n > 1) {
        sb.append('.').append(digits, 1, n);
      }
      int exp = pointPos - 1;
      // strconv writes at least two exponent digits; encoding/json then trims "e-07" to "e-7"
      // but leaves positive exponents alone (they are at least 21 here anyway).
      sb.append('e').append(exp < 0 ? '-' : '+');
      if (exp >= 0 && exp < 10) {
        sb.append('0');
      }
      sb.append(Math.abs(exp));
    } else if (pointPos <= 0) {
      sb.append("0.");
      sb.append("0".repeat(-pointPos));
      sb.append(digits);
    } else if (pointPos >= n) {
      sb.append(digits);
      sb.append("0".repeat(pointPos - n));
    } else {
      sb.append(digits, 0, pointPos).append('.').append(digits, pointPos, n);
    }
    return sb.toString();
  }

  /** digits × 10^exponent, with no trailing zeros in digits. */
  private record Decimal(long digits, int exponent) {}

  /**
   * The shortest decimal that parses back to abs and, among those, the closest to it: what Go's
   * {@code strconv.FormatFloat(f, fmt, -1, 64)} emits.
   *
   * <p>For each length p from 1 up, the only p-digit candidates are the exact value rounded down
   * and rounded up. The correctly rounded one is the closer, so it is tried first; at a power of
   * two the interval of values that parse back is lopsided (the gap below is half the gap above),
   * so when it misses, the neighbour on the other side may still parse back and is then the answer.
   *
   * <p>The exact value of a double can have hundreds of digits, and rounding it with BigDecimal for
   * every p is slow. Its first 18 digits plus a flag for "something non-zero was cut off" decide
   * every rounding to at most 17 digits: all the boundaries involved (p-digit values and the
   * midpoints between them) are multiples of the 18th digit's unit, so none lies strictly between
   * the truncation and the exact value. That fits in a long.
   */
  private static Decimal shortestRoundTrip(double abs) {
    BigDecimal exact = new BigDecimal(abs);
    BigDecimal truncated = exact.round(TRUNCATE_18);
    boolean sticky = truncated.compareTo(exact) != 0;
    long head = truncated.unscaledValue().longValueExact();
    int exponent = -truncated.scale();
    while (head < POW10[17]) {
      head *= 10;
      exponent--;
    }
    for (int p = 1; p <= 17; p++) {
      long unit = POW10[18 - p];
      long down = head / unit;
      long rest = head % unit;
      long half = unit / 2;
      boolean inexact = rest != 0 || sticky;
      boolean roundUp = rest > half || (rest == half && (sticky || (down & 1) == 1));
      long nearest = roundUp ? down + 1 : down;
      int candidateExponent = exponent + 18 - p;
      if (parsesTo(nearest, candidateExponent, abs)) {
        return stripped(nearest, candidateExponent);
      }
      if (inexact) {
        long other = roundUp ? down : down + 1;
        if (parsesTo(other, candidateExponent, abs)) {
          return stripped(other, candidateExponent);
        }
      }
    }
    // Unreachable: 17 significant digits always identify a double.
    throw new AssertionError("no round-trip decimal for " + abs);
  }

  /** Whether digits × 10^exponent, correctly rounded as Go's parser does, is target. */
  private static boolean parsesTo(long digits, int exponent, double target) {
    if (digits < EXACT_INTEGER_LIMIT && Math.abs(exponent) < DOUBLE_POW10.length) {
      // Both operands are exact doubles and IEEE multiplication and division round correctly, so
      // this is the correctly rounded value without parsing text.
      double value =
          exponent >= 0 ? digits * DOUBLE_POW10[exponent] : digits / DOUBLE_POW10[-exponent];
      return value == target;
    }
    return Double.parseDouble(digits + "E" + exponent) == target;
  }

  private static Decimal stripped(long digits, int exponent) {
    while (digits % 10 == 0) {
      digits /= 10;
      exponent++;
    }
    return new Decimal(digits, exponent);
  }

  private GoNumbers() {}
}
