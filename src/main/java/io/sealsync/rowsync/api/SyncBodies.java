package io.sealsync.rowsync.api;

import io.sealsync.platform.BoundedBody;
import io.sealsync.rowsync.SyncError;
import java.io.InputStream;

/** Request bodies of the row-sync routes: capped, and an unreadable one is the client's error. */
public final class SyncBodies {
  /** Push chunks carry at most 5000 rows; 64 MiB leaves room for large rows and refuses floods. */
  static final long MAX_BODY_BYTES = 64L * 1024 * 1024;

  private SyncBodies() {}

  public static byte[] read(InputStream in, String contentLength) {
    try {
      return BoundedBody.read(in, contentLength, MAX_BODY_BYTES)
          .orElseThrow(() -> SyncError.INVALID_REQUEST.exception("request body too large"));
    } catch (BoundedBody.UnreadableException e) {
      throw SyncError.INVALID_REQUEST.exception(e.getMessage());
    }
  }
}
