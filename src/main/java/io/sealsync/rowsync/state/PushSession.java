package io.sealsync.rowsync.state;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * A staged push session (§8): the source tuple it will commit, how many rows it plans and has, and
 * when it expires. Written by {@code PushSessionService} in SQL (its writes share round trips with
 * the user's lock); read here as a whole.
 */
@Entity
@Table(schema = "sync", name = "push_sessions")
public class PushSession {
  // UUID columns are read as text: the providers agree on strings, not on UUID mappings.
  @Id
  @Column(name = "push_id")
  private String pushId;

  @Column(name = "user_pk")
  private long userPk;

  @Column(name = "source_id")
  private String sourceId;

  @Column(name = "source_bundle_id")
  private long sourceBundleId;

  @Column(name = "planned_row_count")
  private long plannedRowCount;

  @Column(name = "next_expected_row_ordinal")
  private long nextExpectedRowOrdinal;

  @Column(name = "expires_at")
  private OffsetDateTime expiresAt;

  protected PushSession() {}

  public String getPushId() {
    return pushId;
  }

  public String getSourceId() {
    return sourceId;
  }

  public long getSourceBundleId() {
    return sourceBundleId;
  }

  public long getPlannedRowCount() {
    return plannedRowCount;
  }

  public long getNextExpectedRowOrdinal() {
    return nextExpectedRowOrdinal;
  }

  public OffsetDateTime getExpiresAt() {
    return expiresAt;
  }
}
