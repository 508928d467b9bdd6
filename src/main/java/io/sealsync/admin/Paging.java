package io.sealsync.admin;

import io.sealsync.platform.errors.ApiException;

/**
 * Paging parameters of the operator API's lists, read from raw query values: anything that is not a
 * whole number in range is {@code 400 invalid_request}, never a runtime's 404 or 500.
 */
public final class Paging {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;

  /** Offsets beyond this are refused: a deep offset scan is a load, never a real need. */
  public static final long MAX_OFFSET = 100_000;

  private Paging() {}

  /** {@code limit}: 1 to {@code max}; absent is {@code dflt}. */
  public static int limit(String raw, int dflt, int max) {
    long v = number("limit", raw, dflt);
    if (v < 1 || v > max) {
      throw ApiException.badRequest("'limit' must be a whole number from 1 to " + max);
    }
    return (int) v;
  }

  public static int limit(String raw) {
    return limit(raw, DEFAULT_LIMIT, MAX_LIMIT);
  }

  /** {@code offset}: 0 to {@link #MAX_OFFSET}; absent is 0. */
  public static long offset(String raw) {
    long v = number("offset", raw, 0);
    if (v < 0 || v > MAX_OFFSET) {
      throw ApiException.badRequest("'offset' must be a whole number from 0 to " + MAX_OFFSET);
    }
    return v;
  }

  /** A keyset cursor such as {@code before} or {@code after}: absent is null, else 0 or more. */
  public static Long cursor(String name, String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    long v = number(name, raw, 0);
    if (v < 0) {
      throw ApiException.badRequest("'" + name + "' must be a whole number of at least 0");
    }
    return v;
  }

  /** A search text: at most 200 characters, without U+0000; absent or blank is null. */
  public static String text(String name, String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    if (raw.length() > 200 || raw.indexOf('\u0000') >= 0) {
      throw ApiException.badRequest(
          "'" + name + "' must be at most 200 characters, without U+0000");
    }
    return raw.strip();
  }

  private static long number(String name, String raw, long dflt) {
    if (raw == null || raw.isEmpty()) {
      return dflt;
    }
    if (raw.length() > 19 || !raw.chars().allMatch(c -> c >= '0' && c <= '9' || c == '-')) {
      throw ApiException.badRequest("'" + name + "' must be a whole number");
    }
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("'" + name + "' must be a whole number");
    }
  }

  /** A LIKE pattern that matches {@code text} literally anywhere. */
  public static String containsPattern(String text) {
    return "%" + escapeLike(text) + "%";
  }

  /** {@code text} as a LIKE pattern that matches it literally (escape character: backslash). */
  public static String escapeLike(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  /** A page of a list: its items and, for offset paging, the total and the page's bounds. */
  public record Page<T>(java.util.List<T> items, Long total, int limit, Long offset, Long next) {}
}
