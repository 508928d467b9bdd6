package io.sealsync.rowsync.schema;

/**
 * A registered table or an existing sync schema the server cannot sync; the server refuses to
 * start.
 */
public class UnsupportedSchemaException extends RuntimeException {
  public UnsupportedSchemaException(String table, String rule) {
    super("unsupported schema: " + table + ": " + rule);
  }

  public UnsupportedSchemaException(String message) {
    super(message);
  }
}
