package io.sealsync.agentstate;

import io.sealsync.platform.ForgivingBase64;
import io.sealsync.platform.Hex;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.List;

/** A validated {@code POST /snapshot} body (agent-state.md §9.1, checks in the order of §9.2). */
public record SnapshotRequest(
    AgentId agentId,
    long sequenceNumber,
    String parentSnapshot,
    String policyHash,
    String clientPayloadHash,
    byte[] ciphertext,
    String timestamp) {

  public static final int MAX_PAYLOAD_BYTES = 262_144;

  private static final List<String> REQUIRED =
      List.of(
          "agent_id",
          "sequence_number",
          "policy_hash",
          "client_payload_hash",
          "ciphertext_b64",
          "byte_size",
          "timestamp");

  public int byteSize() {
    return ciphertext.length;
  }

  /** The storage key clients see as {@code arweave_tx_id} (§9.5). */
  public String storageKey() {
    return agentId.value()
        + "/seq-"
        + sequenceNumber
        + "-"
        + clientPayloadHash.substring(0, 12)
        + ".bin";
  }

  public static SnapshotRequest parse(byte[] body) {
    JsonObject o = AgentStateJson.parseObject(body);
    for (String field : REQUIRED) {
      if (!o.containsKey(field)) {
        throw AgentStateError.MISSING_FIELD.exception(field);
      }
    }
    JsonValue agent = o.get("agent_id");
    if (agent.getValueType() != JsonValue.ValueType.STRING) {
      throw AgentStateError.BAD_AGENT_ID.exception();
    }
    AgentId agentId = AgentId.of(((JsonString) agent).getString());
    String policyHash = hex64(o.get("policy_hash"), AgentStateError.BAD_POLICY_HASH);
    String payloadHash = hex64(o.get("client_payload_hash"), AgentStateError.BAD_PAYLOAD_HASH);

    JsonValue size = o.get("byte_size");
    if (size.getValueType() != JsonValue.ValueType.NUMBER) {
      throw AgentStateError.BYTE_SIZE_MISMATCH.exception();
    }
    BigDecimal byteSize = ((JsonNumber) size).bigDecimalValue();
    if (byteSize.signum() <= 0 || byteSize.compareTo(BigDecimal.valueOf(MAX_PAYLOAD_BYTES)) > 0) {
      throw AgentStateError.CIPHERTEXT_TOO_LARGE.exception();
    }

    long seq =
        AgentStateJson.nonNegativeSafeInteger(o.get("sequence_number"))
            .orElseThrow(AgentStateError.BAD_SEQUENCE::exception);
    JsonValue parent = o.get("parent_snapshot");
    String parentSnapshot = null;
    if (seq == 0) {
      if (parent == null || parent.getValueType() != JsonValue.ValueType.NULL) {
        throw AgentStateError.GENESIS_VIOLATION.exception();
      }
    } else {
      // U+0000 cannot be stored (PostgreSQL text), so such a parent is no usable parent either.
      if (parent == null
          || parent.getValueType() != JsonValue.ValueType.STRING
          || ((JsonString) parent).getString().isEmpty()
          || ((JsonString) parent).getString().indexOf('\u0000') >= 0) {
        throw AgentStateError.MISSING_PARENT_SNAPSHOT.exception();
      }
      parentSnapshot = ((JsonString) parent).getString();
    }

    JsonValue b64 = o.get("ciphertext_b64");
    if (b64.getValueType() != JsonValue.ValueType.STRING) {
      throw AgentStateError.BAD_CIPHERTEXT_B64.exception();
    }
    byte[] ciphertext =
        ForgivingBase64.decode(((JsonString) b64).getString())
            .orElseThrow(AgentStateError.BAD_CIPHERTEXT_B64::exception);
    if (byteSize.compareTo(BigDecimal.valueOf(ciphertext.length)) != 0) {
      throw AgentStateError.BYTE_SIZE_MISMATCH.exception();
    }

    JsonValue ts = o.get("timestamp");
    // Any value is accepted (§9.1) and kept only for the record, never read back: U+0000, which
    // PostgreSQL text cannot hold, is kept as U+FFFD.
    String timestamp =
        (ts.getValueType() == JsonValue.ValueType.STRING
                ? ((JsonString) ts).getString()
                : ts.toString())
            .replace('\u0000', '\uFFFD');
    return new SnapshotRequest(
        agentId, seq, parentSnapshot, policyHash, payloadHash, ciphertext, timestamp);
  }

  private static String hex64(JsonValue v, AgentStateError onFailure) {
    if (v.getValueType() != JsonValue.ValueType.STRING
        || !Hex.isHex64(((JsonString) v).getString())) {
      throw onFailure.exception();
    }
    return ((JsonString) v).getString();
  }
}
