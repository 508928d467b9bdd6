package io.sealsync.admin.agentstate;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.agentstate.BlockHash;
import io.sealsync.agentstate.HashChain;
import io.sealsync.platform.Sha256;
import org.junit.jupiter.api.Test;

class LogVerifierTest {
  private static final byte[] BLOCK = {1, 2, 3};
  private static final String HASH = Sha256.hex(BLOCK);
  private static final String ROOT = HashChain.next(HashChain.GENESIS, new BlockHash(HASH)).hex();

  @Test
  void aBlockThatContinuesTheChainPasses() {
    assertNull(
        LogVerifier.check(new LogVerifier.Row(0, HASH, ROOT, 3, BLOCK), 0, HashChain.GENESIS));
  }

  @Test
  void eachKindOfDamageIsNamed() {
    assertTrue(
        LogVerifier.check(new LogVerifier.Row(1, HASH, ROOT, 3, BLOCK), 0, HashChain.GENESIS)
            .contains("sequence 0 is missing"));
    assertTrue(
        LogVerifier.check(new LogVerifier.Row(0, "xyz", ROOT, 3, BLOCK), 0, HashChain.GENESIS)
            .contains("block_hash is not"));
    assertTrue(
        LogVerifier.check(
                new LogVerifier.Row(0, HASH, ROOT, 3, new byte[] {9, 9, 9}), 0, HashChain.GENESIS)
            .contains("block_hash does not match"));
    assertTrue(
        LogVerifier.check(new LogVerifier.Row(0, HASH, ROOT, 4, BLOCK), 0, HashChain.GENESIS)
            .contains("byte_size"));
    assertTrue(
        LogVerifier.check(
                new LogVerifier.Row(0, HASH, "a".repeat(64), 3, BLOCK), 0, HashChain.GENESIS)
            .contains("merkle_root does not continue"));
    assertTrue(
        LogVerifier.check(new LogVerifier.Row(0, HASH, ROOT, 3, BLOCK), 0, new BlockHash(HASH))
            .contains("merkle_root does not continue"));
  }
}
