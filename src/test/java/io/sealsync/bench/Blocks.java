package io.sealsync.bench;

import io.sealsync.agentstate.ReplicationClient;
import java.util.Base64;
import java.util.Random;

/**
 * Ciphertext blocks for the replicate workloads: a few random blocks of one size, used in turn (the
 * server neither decrypts nor deduplicates, so their content does not matter; random bytes keep
 * PostgreSQL from compressing them).
 */
record Blocks(byte[][] blobs, String[] hashes, String[] base64) {
  static Blocks random(int size, int count, long seed) {
    Random random = new Random(seed);
    byte[][] blobs = new byte[count][size];
    String[] hashes = new String[count];
    String[] base64 = new String[count];
    for (int i = 0; i < count; i++) {
      random.nextBytes(blobs[i]);
      hashes[i] = ReplicationClient.sha256Hex(blobs[i]);
      base64[i] = Base64.getEncoder().encodeToString(blobs[i]);
    }
    return new Blocks(blobs, hashes, base64);
  }

  /** The block as a request carries it ({@code ciphertext_b64}). */
  String encoded(int index) {
    return base64[index % base64.length];
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
