package io.sealsync.platform;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Request targets as clients sent them (path and query, still percent-encoded). Servlet containers
 * pass on some that are no URI (a raw {@code {}, a bad escape in the query); JAX-RS runtimes then
 * fail with a 500 before any application code runs, so the filters check first.
 */
public final class RequestTargets {
  private RequestTargets() {}

  /** Whether path and query (either may be null) form a URI reference with valid escapes. */
  public static boolean isValid(String rawPath, String rawQuery) {
    try {
      new URI(
          "http://localhost"
              + (rawPath == null ? "" : rawPath)
              + (rawQuery == null ? "" : "?" + rawQuery));
      return true;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** Whether every percent-escape of a path decodes, and the bytes they make are UTF-8. */
  public static boolean hasUtf8Escapes(String rawPath) {
    if (rawPath.indexOf('%') < 0) {
      return true;
    }
    byte[] bytes = percentDecode(rawPath);
    if (bytes == null) {
      return false;
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /**
   * The bytes a path stands for: each percent-escape its byte, every other character in UTF-8; or
   * null if an escape is not one ({@code %zz}, {@code %1}). Also compiled into OpenLiberty's user
   * feature (src/liberty-extension), which decodes paths as the web container does.
   */
  public static byte[] percentDecode(String rawPath) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(rawPath.length());
    for (int i = 0; i < rawPath.length(); i++) {
      char c = rawPath.charAt(i);
      if (c != '%') {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        continue;
      }
      int hi = i + 2 < rawPath.length() ? Character.digit(rawPath.charAt(i + 1), 16) : -1;
      int lo = hi < 0 ? -1 : Character.digit(rawPath.charAt(i + 2), 16);
      if (lo < 0) {
        return null;
      }
      bytes.write(hi * 16 + lo);
      i += 2;
    }
    return bytes.toByteArray();
  }

  /**
   * The first value of a query parameter, decoded as JAX-RS decodes query parameters ({@code +} is
   * a space), or null. Pairs whose name does not decode are skipped.
   *
   * @throws IllegalArgumentException if the value has a bad escape
   */
  public static String queryParameter(String rawQuery, String name) {
    if (rawQuery == null) {
      return null;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key;
      try {
        key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException badEscape) {
        continue;
      }
      if (key.equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
