package io.sealsync.platform.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations in configuration: ISO-8601 ({@code PT15M}), whole seconds ({@code 900}), or a number
 * with one unit ({@code 900s}, {@code 15m}, {@code 2h}, {@code 500ms}), as operators and client
 * test suites write them.
 */
public final class ConfigDurations {
  private static final Pattern WITH_UNIT = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h)?");

  private ConfigDurations() {}

  /**
   * Parses {@code raw} for the setting {@code key}; a value that is not a positive duration fails
   * with a message naming the key, so that a deployment stops with the reason.
   */
  public static Duration positive(String key, String raw) {
    Duration d = parse(key, raw);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(key + " must be a positive duration, got '" + raw + "'");
    }
    return d;
  }

  /** Like {@link #positive}, and at most {@code max}. */
  public static Duration atMost(String key, String raw, Duration max) {
    Duration d = positive(key, raw);
    if (d.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          key + " must be at most " + max + " (" + max.toSeconds() + " s), got '" + raw + "'");
    }
    return d;
  }

  static Duration parse(String key, String raw) {
    String s = raw == null ? "" : raw.trim();
    if (s.toUpperCase(Locale.ROOT).startsWith("PT") || s.startsWith("-P")) {
      try {
        return Duration.parse(s);
      } catch (DateTimeParseException e) {
        throw invalid(key, raw);
      }
    }
    Matcher m = WITH_UNIT.matcher(s.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw invalid(key, raw);
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }

  private static IllegalArgumentException invalid(String key, String raw) {
    return new IllegalArgumentException(
        key + " must be a duration such as PT15M, 900, 900s, 15m or 2h; got '" + raw + "'");
  }
}
