package io.sealsync.agentstate;

import io.sealsync.platform.JsonFactory;
import io.sealsync.platform.Timestamps;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.OffsetDateTime;

/** The nine receipt fields of agent-state.md §9.4, in the reference's order. */
public record SnapshotReceipt(
    String snapshotId,
    String agentId,
    long sequenceNumber,
    String storageKey,
    int byteSize,
    int costMilli,
    String clientPayloadHash,
    String status,
    OffsetDateTime confirmedAt) {

  public JsonObjectBuilder toJsonBuilder() {
    JsonObjectBuilder b =
        JsonFactory.object()
            .add("snapshot_id", snapshotId)
            .add("agent_id", agentId)
            .add("sequence_number", sequenceNumber)
            .add("arweave_tx_id", storageKey)
            .add("byte_size", byteSize)
            .add("cost_milli", costMilli)
            .add("client_payload_hash", clientPayloadHash)
            .add("status", status);
    if (confirmedAt == null) {
      b.addNull("confirmed_at");
    } else {
      b.add("confirmed_at", Timestamps.format(confirmedAt));
    }
    return b;
  }

  public JsonObject toJson() {
    return toJsonBuilder().build();
  }
}
