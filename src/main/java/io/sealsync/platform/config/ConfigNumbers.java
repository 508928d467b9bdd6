package io.sealsync.platform.config;

import java.util.function.Function;

/**
 * Numbers in configuration, range-checked: a value out of range fails with a message naming the
 * setting and its range, so that a deployment stops at start with the reason.
 */
public final class ConfigNumbers {
  private ConfigNumbers() {}

  /** A whole number in {@code [min, max]}. */
  public static long longIn(String key, String raw, long min, long max) {
    return inRange(key, raw, min, max, Long::valueOf);
  }

  /** A decimal number in {@code [min, max]} (so neither NaN nor infinite). */
  public static double decimalIn(String key, String raw, double min, double max) {
    return inRange(key, raw, min, max, Double::valueOf);
  }

  private static <N extends Comparable<N>> N inRange(
      String key, String raw, N min, N max, Function<String, N> parse) {
    try {
      N n = parse.apply(raw == null ? "" : raw.trim());
      // Double's order puts NaN above every number, so NaN is out of range too.
      if (n.compareTo(min) >= 0 && n.compareTo(max) <= 0) {
        return n;
      }
    } catch (NumberFormatException notANumber) {
      // Out of range as well.
    }
    throw new IllegalArgumentException(
        key + " must be a number from " + min + " to " + max + "; got '" + raw + "'");
  }
}
