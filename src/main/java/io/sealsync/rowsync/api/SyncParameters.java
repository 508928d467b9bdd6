package io.sealsync.rowsync.api;

import io.sealsync.rowsync.SyncError;
import io.sealsync.rowsync.SyncIds;
import jakarta.ws.rs.Encoded;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/** Path and query parameters of the row-sync routes, each refused with its route's own code. */
final class SyncParameters {
  private static final Pattern SESSION_ID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private SyncParameters() {}

  /**
   * An integer path parameter, or a query parameter once decoded; absent or empty is {@code
   * absent}, anything else {@code onBad}.
   */
  static long integer(String value, long absent, SyncError onBad) {
    if (value == null || value.isEmpty()) {
      return absent;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw onBad.exception("not an integer: " + SyncIds.excerpt(value));
    }
  }

  /**
   * An integer query parameter, which arrives still encoded ({@link Encoded}): the runtime's own
   * decoding would refuse a bad escape anywhere in the query with an answer outside the protocol.
   */
  static long query(String raw, long absent, SyncError onBad) {
    String value;
    try {
      value = raw == null ? null : URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException badEscape) {
      throw onBad.exception("not an integer: " + SyncIds.excerpt(raw));
    }
    return integer(value, absent, onBad);
  }

  /**
   * A push or snapshot session id as the server issues them (a UUID, in either case); anything else
   * names no session. Strict, because UUID parsers differ: Java reads {@code 4c04efc-…} as {@code
   * 04c04efc-…}, PostgreSQL refuses it.
   */
  static String sessionId(String raw, SyncError notFound, String message) {
    if (raw == null || !SESSION_ID.matcher(raw).matches()) {
      throw notFound.exception(message);
    }
    return raw.toLowerCase(Locale.ROOT);
  }

  static String pushSessionId(String raw) {
    return sessionId(raw, SyncError.PUSH_SESSION_NOT_FOUND, "push session not found");
  }

  /** A non-UUID snapshot id is 404 too, where the reference answers 500 (rowsync.md §24 row 7). */
  static String snapshotSessionId(String raw) {
    return sessionId(raw, SyncError.SNAPSHOT_SESSION_NOT_FOUND, "snapshot session not found");
  }
}
