package io.sealsync.agentstate;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** One snapshot of an agent's lineage: ciphertext and the client's metadata, never plaintext. */
@Entity
@Table(name = "agent_state_snapshots")
public class AgentStateSnapshot {
  public static final String CONFIRMED = "confirmed";

  @Id private String id;

  @Column(name = "tenant_id", nullable = false)
  private long tenantId;

  @Column(name = "agent_id", nullable = false)
  private String agentId;

  @Column(name = "sequence_number", nullable = false)
  private long sequenceNumber;

  @Column(name = "parent_snapshot")
  private String parentSnapshot;

  @Column(name = "policy_hash", nullable = false)
  private String policyHash;

  @Column(name = "client_payload_hash", nullable = false)
  private String clientPayloadHash;

  @Column(name = "byte_size", nullable = false)
  private int byteSize;

  @Column(name = "cost_milli", nullable = false)
  private int costMilli;

  @Column(nullable = false)
  private String status;

  @Column(name = "storage_key", nullable = false)
  private String storageKey;

  // Read paths select columns explicitly; the blob is only read by the ciphertext route.
  @Basic(fetch = FetchType.LAZY)
  @Column(nullable = false)
  private byte[] ciphertext;

  @Column(name = "\"timestamp\"")
  private String timestamp;

  @Column(name = "created_at", nullable = false)
  private OffsetDateTime createdAt;

  @Column(name = "confirmed_at")
  private OffsetDateTime confirmedAt;

  protected AgentStateSnapshot() {}

  AgentStateSnapshot(
      String id, long tenantId, SnapshotRequest r, int costMilli, OffsetDateTime now) {
    this.id = id;
    this.tenantId = tenantId;
    this.agentId = r.agentId().value();
    this.sequenceNumber = r.sequenceNumber();
    this.parentSnapshot = r.parentSnapshot();
    this.policyHash = r.policyHash();
    this.clientPayloadHash = r.clientPayloadHash();
    this.byteSize = r.byteSize();
    this.costMilli = costMilli;
    this.status = CONFIRMED;
    this.storageKey = r.storageKey();
    this.ciphertext = r.ciphertext();
    this.timestamp = r.timestamp();
    this.createdAt = now;
    this.confirmedAt = now;
  }

  /**
   * Completes a row left pending or failed by an earlier attempt (never written by this server
   * today).
   */
  void complete(SnapshotRequest r, int costMilli, OffsetDateTime now) {
    this.ciphertext = r.ciphertext();
    this.byteSize = r.byteSize();
    this.costMilli = costMilli;
    this.status = CONFIRMED;
    this.confirmedAt = now;
  }

  public String getId() {
    return id;
  }

  public String getStatus() {
    return status;
  }

  public String getClientPayloadHash() {
    return clientPayloadHash;
  }

  SnapshotReceipt receipt() {
    return new SnapshotReceipt(
        id,
        agentId,
        sequenceNumber,
        storageKey,
        byteSize,
        costMilli,
        clientPayloadHash,
        status,
        confirmedAt);
  }
}
