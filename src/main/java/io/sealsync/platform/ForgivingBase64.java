package io.sealsync.platform;

import java.util.Base64;
import java.util.Optional;

/**
 * Decodes base64 the way the reference server's runtime does (WHATWG "forgiving base64"): standard
 * alphabet, ASCII whitespace ignored, padding optional. Clients send standard padded base64, which
 * this accepts unchanged.
 */
public final class ForgivingBase64 {
  private ForgivingBase64() {}

  public static Optional<byte[]> decode(String input) {
    // Clients send standard base64 without whitespace: the JDK's strict decoder takes that as it
    // is, without a copy, and gives the same bytes as the forgiving rules below where it accepts.
    try {
      return Optional.of(Base64.getDecoder().decode(input));
    } catch (IllegalArgumentException notStrict) {
      return forgiving(input);
    }
  }

  static Optional<byte[]> forgiving(String input) {
    StringBuilder s = new StringBuilder(input.length());
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r') {
        continue;
      }
      s.append(c);
    }
    int len = s.length();
    if (len % 4 == 0 && len > 0 && s.charAt(len - 1) == '=') {
      len--;
      if (s.charAt(len - 1) == '=') {
        len--;
      }
    }
    if (len % 4 == 1) {
      return Optional.empty();
    }
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '+'
              || c == '/';
      if (!ok) {
        return Optional.empty();
      }
    }
    // The JDK decoder accepts unpadded input and ignores non-zero trailing bits, as WHATWG does.
    return Optional.of(Base64.getDecoder().decode(s.substring(0, len)));
  }

  public static String encode(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
