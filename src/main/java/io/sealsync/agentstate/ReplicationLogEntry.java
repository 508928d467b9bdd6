package io.sealsync.agentstate;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * One block of a tenant's replication log (agent-state.md §5), for reads of whole entries. The
 * append path ({@link ReplicationService}) and the streamed replay ({@link ReplayPages}) stay SQL:
 * the append locks and reads the head in one round trip, and replay streams blocks without holding
 * a page of them. Queries that want a few columns select them into a record with {@code SELECT
 * NEW}, so the ciphertext is not read.
 */
@Entity
@Table(name = "replication_log")
@IdClass(ReplicationLogEntry.Key.class)
public class ReplicationLogEntry {
  /** The primary key (tenant_id, sequence_number); a class, since providers set its fields. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    private long tenantId;
    private long sequenceNumber;

    public Key() {}

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.tenantId == tenantId && k.sequenceNumber == sequenceNumber;
    }

    @Override
    public int hashCode() {
      return Objects.hash(tenantId, sequenceNumber);
    }
  }

  @Id
  @Column(name = "tenant_id")
  private long tenantId;

  @Id
  @Column(name = "sequence_number")
  private long sequenceNumber;

  @Column(name = "block_hash")
  private String blockHash;

  @Column(name = "merkle_root")
  private String merkleRoot;

  @Basic(fetch = FetchType.LAZY)
  private byte[] ciphertext;

  @Column(name = "byte_size")
  private int byteSize;

  @Column(name = "created_at")
  private OffsetDateTime createdAt;

  protected ReplicationLogEntry() {}

  public long getSequenceNumber() {
    return sequenceNumber;
  }

  public String getBlockHash() {
    return blockHash;
  }

  public String getMerkleRoot() {
    return merkleRoot;
  }

  public int getByteSize() {
    return byteSize;
  }

  public OffsetDateTime getCreatedAt() {
    return createdAt;
  }
}
