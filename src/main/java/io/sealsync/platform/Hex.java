package io.sealsync.platform;

import java.util.HexFormat;
import java.util.regex.Pattern;

/** Lowercase hex as the protocols write it. */
public final class Hex {
  private static final HexFormat LOWER = HexFormat.of();
  private static final Pattern LOWER_HEX_64 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern ANY_CASE_HEX_64 = Pattern.compile("[0-9a-fA-F]{64}");

  private Hex() {}

  public static String encode(byte[] bytes) {
    return LOWER.formatHex(bytes);
  }

  public static byte[] decode(String hex) {
    return LOWER.parseHex(hex);
  }

  /** 64 lowercase hex characters: a SHA-256 digest as the replication log carries it. */
  public static boolean isLowerHex64(String s) {
    return s != null && LOWER_HEX_64.matcher(s).matches();
  }

  /** 64 hex characters of either case: the snapshot hashes, accepted as sent. */
  public static boolean isHex64(String s) {
    return s != null && ANY_CASE_HEX_64.matcher(s).matches();
  }
}
