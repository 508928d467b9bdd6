package io.sealsync.agentstate;

import io.sealsync.platform.ForgivingBase64;
import io.sealsync.platform.Hex;
import io.sealsync.platform.Sha256;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A validated {@code POST /replicate} body (checks in the order of agent-state.md §5.2). */
public record ReplicateRequest(List<Chunk> chunks, BlockHash merkleRoot) {
  public static final int MAX_CHUNK_BYTES = 262_144;

  /** One block: its verified hash and its raw bytes. */
  public record Chunk(long sequenceNumber, BlockHash blockHash, byte[] ciphertext) {}

  public long maxSequenceNumber() {
    return chunks.stream().mapToLong(Chunk::sequenceNumber).max().orElseThrow();
  }

  public static ReplicateRequest parse(byte[] body) {
    JsonObject o = AgentStateJson.parseObject(body);
    JsonValue chunksValue = o.get("chunks");
    if (chunksValue == null
        || chunksValue.getValueType() != JsonValue.ValueType.ARRAY
        || chunksValue.asJsonArray().isEmpty()) {
      throw AgentStateError.MISSING_OR_EMPTY_CHUNKS.exception();
    }
    JsonValue root = o.get("merkle_root");
    if (!(root instanceof JsonString rootString) || rootString.getString().isEmpty()) {
      throw AgentStateError.MISSING_MERKLE_ROOT.exception();
    }
    if (!Hex.isLowerHex64(rootString.getString())) {
      throw AgentStateError.BAD_MERKLE_ROOT.exception();
    }
    JsonArray array = chunksValue.asJsonArray();
    List<Chunk> chunks = new ArrayList<>(array.size());
    for (JsonValue v : array) {
      chunks.add(chunk(v));
    }
    Set<Long> seen = new HashSet<>();
    for (Chunk c : chunks) {
      if (!seen.add(c.sequenceNumber())) {
        throw AgentStateError.BAD_SEQUENCE_NUMBER.exception();
      }
    }
    return new ReplicateRequest(List.copyOf(chunks), new BlockHash(rootString.getString()));
  }

  private static Chunk chunk(JsonValue v) {
    if (v.getValueType() != JsonValue.ValueType.OBJECT) {
      throw AgentStateError.BAD_SEQUENCE_NUMBER.exception();
    }
    JsonObject c = v.asJsonObject();
    long seq =
        AgentStateJson.nonNegativeSafeInteger(c.get("sequence_number"))
            .orElseThrow(AgentStateError.BAD_SEQUENCE_NUMBER::exception);
    JsonValue hash = c.get("block_hash");
    if (!(hash instanceof JsonString hashString) || hashString.getString().isEmpty()) {
      throw AgentStateError.MISSING_BLOCK_HASH.exception();
    }
    if (!(c.get("ciphertext_b64") instanceof JsonString b64)) {
      throw AgentStateError.MISSING_CIPHERTEXT_B64.exception();
    }
    byte[] bytes =
        ForgivingBase64.decode(b64.getString())
            .orElseThrow(AgentStateError.BAD_CIPHERTEXT_B64::exception);
    if (bytes.length > MAX_CHUNK_BYTES) {
      throw AgentStateError.CHUNK_TOO_LARGE.exception();
    }
    if (!Hex.isLowerHex64(hashString.getString())) {
      throw AgentStateError.BAD_BLOCK_HASH.exception();
    }
    if (!Sha256.hex(bytes).equals(hashString.getString())) {
      throw AgentStateError.BLOCK_HASH_MISMATCH.exception();
    }
    return new Chunk(seq, new BlockHash(hashString.getString()), bytes);
  }
}
