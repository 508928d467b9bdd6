package io.sealsync.bench;

import io.sealsync.agentstate.ReplicationClient;
import java.util.Random;

/**
 * Ciphertext blocks for the replicate workloads: a few random blocks of one size, used in turn (the
 * server neither decrypts nor deduplicates, so their content does not matter; random bytes keep
 * PostgreSQL from compressing them).
 */
record Blocks(byte[][] blobs, String[] hashes) {
  static Blocks random(int size, int count, long seed) {
    Random random = new Random(seed);
    byte[][] blobs = new byte[count][size];
    String[] hashes = new String[count];
    for (int i = 0; i < count; i++) {
      random.nextBytes(blobs[i]);
      hashes[i] = ReplicationClient.sha256Hex(blobs[i]);
    }
    return new Blocks(blobs, hashes);
  }

  byte[] block(int index) {
    return blobs[index % blobs.length];
  }

  String hash(int index) {
    return hashes[index % hashes.length];
  }

  int size() {
    return blobs[0].length;
  }
}
