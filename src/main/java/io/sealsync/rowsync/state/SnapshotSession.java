package io.sealsync.rowsync.state;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * A frozen snapshot session (§14): the bundle it was taken at, its size and its expiry. Created by
 * {@code SnapshotSessions} in SQL (one {@code INSERT … SELECT} per table); read here as a whole.
 */
@Entity
@Table(schema = "sync", name = "snapshot_sessions")
public class SnapshotSession {
  // UUID columns are read as text: the providers agree on strings, not on UUID mappings.
  @Id
  @Column(name = "snapshot_id")
  private String snapshotId;

  @Column(name = "user_pk")
  private long userPk;

  @Column(name = "snapshot_bundle_seq")
  private long snapshotBundleSeq;

  @Column(name = "row_count")
  private long rowCount;

  @Column(name = "byte_count")
  private long byteCount;

  @Column(name = "expires_at")
  private OffsetDateTime expiresAt;

  protected SnapshotSession() {}

  public String getSnapshotId() {
    return snapshotId;
  }

  public long getSnapshotBundleSeq() {
    return snapshotBundleSeq;
  }

  public long getRowCount() {
    return rowCount;
  }

  public long getByteCount() {
    return byteCount;
  }

  public OffsetDateTime getExpiresAt() {
    return expiresAt;
  }
}
