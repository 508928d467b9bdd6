package io.sealsync.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

public final class Sha256 {
  /**
   * Cloned for each use: a provider lookup per digest ({@code MessageDigest.getInstance}) cost
   * about as much as hashing a 64 KiB block.
   */
  private static final MessageDigest PROTOTYPE = lookUp();

  private Sha256() {}

  public static byte[] digest(byte[] data) {
    return newDigest().digest(data);
  }

  public static String hex(byte[] data) {
    return Hex.encode(digest(data));
  }

  public static String hex(String utf8) {
    return hex(utf8.getBytes(StandardCharsets.UTF_8));
  }

  public static MessageDigest newDigest() {
    try {
      return (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return lookUp();
    }
  }

  private static MessageDigest lookUp() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }
}
