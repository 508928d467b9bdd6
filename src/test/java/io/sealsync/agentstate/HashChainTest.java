package io.sealsync.agentstate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sealsync.platform.Hex;
import io.sealsync.platform.Sha256;
import org.junit.jupiter.api.Test;

/** Section 3 of agent-state-vectors.txt. */
class HashChainTest {
  static final String BLOB =
      "000102030405060708090a0b0a126cf2a5b213626a58907b3fe3d5e44db587b713ae5850ef3c18c528f70819eecdde8c28a7d503433a6248c143d423133eda8ca3fd6586f312ebf4f26f7ba08801e65b2dd206b6ca2f2c0f2d7e343f37eef0b088";
  static final String BLOCK_HASH =
      "6a7710868bcc124d2b8f204e4834b6f7e36c04f678ad9c3b02212e329b9e2ffd";
  static final String ROOT_0 = "18384230b3627114a9aaaa8a7930655cb58ebb1099fd36da6be52c675343f56f";
  static final String ROOT_1 = "28d536fd2ac21745e36c3acdb1a79bcb6c4ec830352ac127d18bd8dd040c4044";

  @Test
  void blockHashIsTheSha256OfTheWholeBlob() {
    assertEquals(BLOCK_HASH, Sha256.hex(Hex.decode(BLOB)));
  }

  @Test
  void chainStartsFromThirtyTwoZeroBytes() {
    BlockHash r0 = HashChain.next(HashChain.GENESIS, new BlockHash(BLOCK_HASH));
    assertEquals(ROOT_0, r0.hex());
    assertEquals(ROOT_1, HashChain.next(r0, new BlockHash(BLOCK_HASH)).hex());
  }
}
