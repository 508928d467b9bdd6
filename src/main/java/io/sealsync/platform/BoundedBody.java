package io.sealsync.platform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Reads a request body up to a cap, refusing early so an oversized body is never buffered whole.
 */
public final class BoundedBody {
  private BoundedBody() {}

  /**
   * @return the body, or empty when it is (or declares itself) larger than {@code maxBytes}
   */
  public static Optional<byte[]> read(InputStream in, String contentLength, long maxBytes)
      throws IOException {
    if (contentLength != null && !contentLength.isBlank()) {
      try {
        if (Long.parseLong(contentLength.trim()) > maxBytes) {
          return Optional.empty();
        }
      } catch (NumberFormatException ignored) {
        // The container validates the header; a bad one is treated as unknown length.
      }
    }
    if (in == null) {
      return Optional.of(new byte[0]);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] buf = new byte[16384];
    long total = 0;
    int n;
    while ((n = in.read(buf)) != -1) {
      total += n;
      if (total > maxBytes) {
        return Optional.empty();
      }
      out.write(buf, 0, n);
    }
    return Optional.of(out.toByteArray());
  }
}
