package io.sealsync.rowsync;

import io.sealsync.platform.errors.ExpectedFailure;
import jakarta.json.JsonObject;

/**
 * A protocol error, answered as {@code {"error","message"}} plus, for the two structured variants
 * ({@code source_retired}, {@code push_conflict}), their extra members.
 */
public class SyncException extends RuntimeException implements ExpectedFailure {
  private final SyncError error;
  private final transient JsonObject extra;

  public SyncException(SyncError error, String message, JsonObject extra) {
    super(message, null, false, false);
    this.error = error;
    this.extra = extra;
  }

  public SyncError error() {
    return error;
  }

  /** Members appended after {@code error} and {@code message}, or null. */
  public JsonObject extra() {
    return extra;
  }
}
