package io.sealsync.agentstate;

import io.sealsync.platform.Hex;

/** A SHA-256 digest as the replication log carries it: 64 lowercase hex characters. */
public record BlockHash(String hex) {
  public BlockHash {
    if (!Hex.isLowerHex64(hex)) {
      throw new IllegalArgumentException("not a lowercase hex SHA-256: " + hex);
    }
  }

  public byte[] bytes() {
    return Hex.decode(hex);
  }

  public static BlockHash of(byte[] digest) {
    return new BlockHash(Hex.encode(digest));
  }

  @Override
  public String toString() {
    return hex;
  }
}
