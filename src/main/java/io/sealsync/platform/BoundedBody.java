package io.sealsync.platform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Reads a request body up to a cap, refusing early so an oversized body is never buffered whole.
 */
public final class BoundedBody {
  /**
   * How much of a refused body is still read and thrown away. Some servers (Payara's Grizzly) close
   * the connection after a 413 without reading the rest of the body, and a client still sending it
   * then sees a reset instead of the answer; consuming the rest first lets every client read the
   * 413. Beyond this size that is not worth the bandwidth, and the connection just closes.
   */
  static final long DISCARD_LIMIT = 16L * 1024 * 1024;

  private BoundedBody() {}

  /**
   * The body could not be read: the client went away mid-upload or sent a broken transfer encoding.
   * The client's doing, so each protocol answers it with its 400 code and nothing is logged as a
   * server failure.
   */
  public static final class UnreadableException extends RuntimeException {
    UnreadableException(IOException cause) {
      super("request body could not be read: " + cause.getMessage(), cause, false, false);
    }
  }

  /**
   * @return the body, or empty when it is (or declares itself) larger than {@code maxBytes}
   * @throws UnreadableException when reading the body fails
   */
  public static Optional<byte[]> read(InputStream in, String contentLength, long maxBytes) {
    try {
      return readBounded(in, contentLength, maxBytes);
    } catch (IOException e) {
      throw new UnreadableException(e);
    }
  }

  private static Optional<byte[]> readBounded(InputStream in, String contentLength, long maxBytes)
      throws IOException {
    long declared = -1;
    if (contentLength != null && !contentLength.isBlank()) {
      try {
        declared = Long.parseLong(contentLength.trim());
        if (declared > maxBytes) {
          if (declared <= DISCARD_LIMIT) {
            discard(in);
          }
          return Optional.empty();
        }
      } catch (NumberFormatException ignored) {
        // The container validates the header; a bad one is treated as unknown length.
      }
    }
    if (in == null) {
      return Optional.of(new byte[0]);
    }
    // Sized for the declared length, so a block-sized body is not copied as the buffer grows; but
    // no more than a megabyte up front for a length the client has only announced.
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(declared > 0 ? (int) Math.min(declared, 1 << 20) : 8192);
    byte[] buf = new byte[16384];
    long total = 0;
    int n;
    while ((n = in.read(buf)) != -1) {
      total += n;
      if (total > maxBytes) {
        discard(in);
        return Optional.empty();
      }
      out.write(buf, 0, n);
    }
    return Optional.of(out.toByteArray());
  }

  private static void discard(InputStream in) throws IOException {
    if (in == null) {
      return;
    }
    byte[] buf = new byte[16384];
    long left = DISCARD_LIMIT;
    int n;
    while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) != -1) {
      left -= n;
    }
  }
}
