package io.sealsync.rowsync;

import java.util.regex.Pattern;

/** Identifiers of registered tables and columns: validated names, always quoted in SQL. */
final class SqlNames {
  static final Pattern NAME = Pattern.compile("[a-z0-9_]+");

  private SqlNames() {}

  static boolean valid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
