package io.sealsync.agentstate;

import io.sealsync.platform.Sha256;
import java.security.MessageDigest;

/**
 * The replication log's {@code merkle_root}: a linear hash chain, not a Merkle tree (agent-state.md
 * §8.3). {@code R_-1} is 32 zero bytes and {@code R_n = SHA-256(R_n-1 || hash_n)} over the raw
 * 32-byte values.
 */
public final class HashChain {
  public static final BlockHash GENESIS = new BlockHash("0".repeat(64));

  private HashChain() {}

  public static BlockHash next(BlockHash previousRoot, BlockHash blockHash) {
    MessageDigest d = Sha256.newDigest();
    d.update(previousRoot.bytes());
    d.update(blockHash.bytes());
    return BlockHash.of(d.digest());
  }
}
