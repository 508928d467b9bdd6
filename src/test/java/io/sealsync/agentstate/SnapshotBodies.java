package io.sealsync.agentstate;

import java.util.Base64;

/** Snapshot request bodies as the SDK sends them, for every test that stores snapshots. */
public final class SnapshotBodies {
  private SnapshotBodies() {}

  public static String of(String agent, long seq, String parent, String payloadHash, byte[] blob) {
    return "{\"agent_id\":\""
        + agent
        + "\",\"sequence_number\":"
        + seq
        + ",\"parent_snapshot\":"
        + (parent == null ? "null" : "\"" + parent + "\"")
        + ",\"policy_hash\":\""
        + "0".repeat(64)
        + "\",\"client_payload_hash\":\""
        + payloadHash
        + "\",\"ciphertext_b64\":\""
        + Base64.getEncoder().encodeToString(blob)
        + "\",\"byte_size\":"
        + blob.length
        + ",\"timestamp\":\"2026-05-20T08:00:00.000Z\"}";
  }
}
