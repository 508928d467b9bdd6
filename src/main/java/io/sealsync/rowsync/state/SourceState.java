package io.sealsync.rowsync.state;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/**
 * One source (device or server writer) of a user: active, reserved by a replacement, or retired,
 * and the newest source bundle id it committed (§8.1, §14.4).
 */
@Entity
@Table(schema = "sync", name = "source_state")
@IdClass(SourceState.Key.class)
public class SourceState {
  /** The primary key (user_pk, source_id); a class, since providers set its fields. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    private long userPk;
    private String sourceId;

    public Key() {}

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.userPk == userPk && Objects.equals(k.sourceId, sourceId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(userPk, sourceId);
    }
  }

  @Id
  @Column(name = "user_pk")
  private long userPk;

  @Id
  @Column(name = "source_id")
  private String sourceId;

  @Column(name = "state")
  private String state;

  @Column(name = "max_committed_source_bundle_id")
  private long maxCommittedSourceBundleId;

  @Column(name = "replaced_by_source_id")
  private String replacedBySourceId;

  @Column(name = "retirement_reason")
  private String retirementReason;

  protected SourceState() {}

  public String getSourceId() {
    return sourceId;
  }

  public String getState() {
    return state;
  }

  public long getMaxCommittedSourceBundleId() {
    return maxCommittedSourceBundleId;
  }

  public String getReplacedBySourceId() {
    return replacedBySourceId;
  }

  public String getRetirementReason() {
    return retirementReason;
  }
}
