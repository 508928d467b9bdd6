package io.sealsync.rowsync;

import java.util.Locale;
import java.util.regex.Pattern;

/** Identifiers of registered tables and columns: validated names, always quoted in SQL. */
public final class SqlNames {
  static final Pattern NAME = Pattern.compile("[a-z0-9_]+");

  /** PostgreSQL keeps 63 bytes of an identifier (NAMEDATALEN - 1): no registered name is longer. */
  static final int MAX_LENGTH = 63;

  private SqlNames() {}

  /**
   * A client's spelling of a name in lower case, or null when it is too long to be one. Bounded
   * first: Java's case mapping takes quadratic time on strings of characters that expand (ß, İ),
   * minutes for a megabyte.
   */
  public static String lower(String raw) {
    return raw.length() > MAX_LENGTH ? null : raw.toLowerCase(Locale.ROOT);
  }

  public static boolean valid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  public static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
