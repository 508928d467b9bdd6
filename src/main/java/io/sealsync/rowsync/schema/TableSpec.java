package io.sealsync.rowsync.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One registered table as configured: {@code schema.table:sync_key_column}, names lowercased and
 * trimmed (rowsync.md §19). Schema defaults to {@code public}.
 */
public record TableSpec(String schema, String table, String keyColumn) {

  /** {@code "schema.table"}, the protocol's name for a registered table. */
  public String qualifiedName() {
    return schema + "." + table;
  }

  /**
   * Parses {@code sealsync.rowsync.tables}: comma-separated {@code [schema.]table:key} entries.
   * Duplicates are dropped; an entry without exactly one key column is refused.
   */
  public static List<TableSpec> parseList(String config) {
    Map<String, TableSpec> specs = new LinkedHashMap<>();
    if (config == null || config.isBlank()) {
      return List.of();
    }
    for (String entry : config.split(",")) {
      String e = entry.trim().toLowerCase(Locale.ROOT);
      if (e.isEmpty()) {
        continue;
      }
      int colon = e.indexOf(':');
      if (colon < 0) {
        throw new UnsupportedSchemaException(
            e, "exactly one sync key column is required (configure it as schema.table:key_column)");
      }
      String name = e.substring(0, colon).trim();
      String key = e.substring(colon + 1).trim();
      if (key.isEmpty() || key.contains(":") || key.contains("+")) {
        throw new UnsupportedSchemaException(name, "exactly one sync key column is required");
      }
      int dot = name.indexOf('.');
      String schema = dot < 0 ? "public" : name.substring(0, dot).trim();
      String table = dot < 0 ? name : name.substring(dot + 1).trim();
      TableSpec spec = new TableSpec(schema.isEmpty() ? "public" : schema, table, key);
      specs.putIfAbsent(spec.qualifiedName(), spec);
    }
    return new ArrayList<>(specs.values());
  }
}
