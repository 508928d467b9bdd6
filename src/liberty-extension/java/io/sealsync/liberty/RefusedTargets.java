package io.sealsync.liberty;

import io.sealsync.platform.RequestTargets;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * The request targets that OpenLiberty's web container refuses before it runs any application:
 * since Servlet 6.0 it decodes and canonicalizes every path, and answers a bad percent-escape, a
 * control character, a dot-segment that climbs above the root or a misplaced path parameter with
 * its own HTML 400 (CWWWC0005I). These are the same rules, so that exactly those requests are
 * answered here instead.
 */
final class RefusedTargets {
  private RefusedTargets() {}

  /** Whether the web container would refuse this raw (still percent-encoded) path. */
  static boolean refused(String rawPath) {
    if (!suspicious(rawPath)) {
      return false;
    }
    String path = decode(rawPath);
    return path == null || !canonical(path);
  }

  /**
   * Whether a path holds anything canonicalization could refuse: an escape, a path parameter, a
   * segment that starts with a dot, a control character. Most paths hold none: one scan.
   */
  private static boolean suspicious(String rawPath) {
    for (int i = 0; i < rawPath.length(); i++) {
      char c = rawPath.charAt(i);
      if (c == '%'
          || c == ';'
          || c < 0x20
          || c == 0x7f
          || c == '.' && (i == 0 || rawPath.charAt(i - 1) == '/')) {
        return true;
      }
    }
    return false;
  }

  /**
   * The path percent-decoded as UTF-8 (bytes that are not UTF-8 replaced, as the web container
   * does), or null on a bad escape.
   */
  private static String decode(String rawPath) {
    if (rawPath.indexOf('%') < 0) {
      return rawPath;
    }
    byte[] bytes = RequestTargets.percentDecode(rawPath);
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  /** Servlet 6.0's URI path canonicalization (§3.5.2) of a decoded path: whether it succeeds. */
  private static boolean canonical(String path) {
    String[] segments = (path.startsWith("/") ? path.substring(1) : path).split("/", -1);
    Deque<String> kept = new ArrayDeque<>();
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      int semicolon = segment.indexOf(';');
      if (semicolon >= 0) {
        if (segment.startsWith(".;") || segment.startsWith("..;")) {
          return false;
        }
        if (semicolon == 0 && i < segments.length - 1) {
          return false;
        }
        // A session id stays for the container to strip; any other path parameter goes.
        if (!segment.toLowerCase(Locale.ROOT).contains(";jsessionid")) {
          segment = segment.substring(0, semicolon);
        }
      }
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (kept.isEmpty()) {
          return false;
        }
        kept.removeLast();
        continue;
      }
      kept.addLast(segment);
    }
    for (String segment : kept) {
      for (int i = 0; i < segment.length(); i++) {
        char c = segment.charAt(i);
        if (c < 0x20 || c == 0x7f) {
          return false;
        }
      }
    }
    return true;
  }
}
