package io.sealsync.rowsync.state;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row-sync user: its key, its next bundle number and its retained-history floor (§17.2). */
@Entity
@Table(schema = "sync", name = "user_state")
public class UserState {
  @Id
  @Column(name = "user_pk")
  private long userPk;

  @Column(name = "user_id")
  private String userId;

  @Column(name = "next_bundle_seq")
  private long nextBundleSeq;

  @Column(name = "retained_bundle_floor")
  private long retainedBundleFloor;

  protected UserState() {}

  public long getUserPk() {
    return userPk;
  }

  public String getUserId() {
    return userId;
  }

  /** The newest committed bundle (0 before the first). */
  public long latestBundleSeq() {
    return nextBundleSeq - 1;
  }

  public long getRetainedBundleFloor() {
    return retainedBundleFloor;
  }
}
