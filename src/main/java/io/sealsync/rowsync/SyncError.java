package io.sealsync.rowsync;

import java.util.Locale;

/** The row-sync protocol's error codes with their HTTP status (rowsync.md §4), in one place. */
public enum SyncError {
  SERVICE_UNAVAILABLE(503),
  METHOD_NOT_ALLOWED(405),
  AUTHENTICATION_FAILED(401),
  INVALID_REQUEST(400),
  CONNECT_INVALID(400),
  CONNECT_FAILED(500),
  PUSH_SESSION_INVALID(400),
  SCOPE_UNINITIALIZED(409),
  SCOPE_INITIALIZING(409),
  INITIALIZATION_STALE(409),
  INITIALIZATION_EXPIRED(410),
  HISTORY_PRUNED(409),
  SOURCE_SEQUENCE_OUT_OF_ORDER(409),
  SOURCE_SEQUENCE_CHANGED(409),
  SOURCE_RETIRED(409),
  PUSH_SESSION_CREATE_FAILED(500),
  PUSH_CHUNK_INVALID(400),
  PUSH_CHUNK_OUT_OF_ORDER(409),
  PUSH_SESSION_NOT_FOUND(404),
  PUSH_SESSION_EXPIRED(410),
  PUSH_SESSION_FORBIDDEN(403),
  PUSH_CHUNK_FAILED(500),
  PUSH_COMMIT_INVALID(400),
  PUSH_CONFLICT(409),
  PUSH_SESSION_COMMIT_FAILED(500),
  PUSH_SESSION_DELETE_FAILED(500),
  COMMITTED_BUNDLE_CHUNK_INVALID(400),
  COMMITTED_BUNDLE_NOT_FOUND(404),
  COMMITTED_BUNDLE_ROWS_FAILED(500),
  PULL_FAILED(500),
  CAPABILITIES_FAILED(500),
  STATUS_FAILED(500),
  HEALTH_FAILED(500);

  private final int status;

  SyncError(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public SyncException exception(String message) {
    return new SyncException(this, message, null);
  }
}
