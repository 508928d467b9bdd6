package io.sealsync.platform.config;

/**
 * Numbers in configuration, range-checked: a value out of range fails with a message naming the
 * setting and its range, so that a deployment stops at start with the reason.
 */
public final class ConfigNumbers {
  private ConfigNumbers() {}

  /** A whole number in {@code [min, max]}. */
  public static long longIn(String key, String raw, long min, long max) {
    long n;
    try {
      n = Long.parseLong(raw == null ? "" : raw.trim());
    } catch (NumberFormatException e) {
      throw outOfRange(key, raw, min, max);
    }
    if (n < min || n > max) {
      throw outOfRange(key, raw, min, max);
    }
    return n;
  }

  /** A finite decimal number in {@code [min, max]}. */
  public static double decimalIn(String key, String raw, double min, double max) {
    double n;
    try {
      n = Double.parseDouble(raw == null ? "" : raw.trim());
    } catch (NumberFormatException e) {
      throw outOfRange(key, raw, min, max);
    }
    if (!(n >= min && n <= max)) {
      throw outOfRange(key, raw, min, max);
    }
    return n;
  }

  private static IllegalArgumentException outOfRange(
      String key, String raw, Object min, Object max) {
    return new IllegalArgumentException(
        key + " must be a number from " + min + " to " + max + "; got '" + raw + "'");
  }
}
