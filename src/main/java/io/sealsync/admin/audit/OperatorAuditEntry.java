package io.sealsync.admin.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * One row of {@code operator_audit}, read whole. Rows are written by {@link AuditLog} with the
 * database's id and time, and a trigger refuses any change afterwards, so this mapping only reads.
 */
@Entity
@Table(name = "operator_audit")
public class OperatorAuditEntry {
  @Id private long id;

  @Column(name = "at")
  private OffsetDateTime at;

  private String actor;
  private String action;
  private String target;
  private String outcome;
  private String detail;

  protected OperatorAuditEntry() {}

  public long getId() {
    return id;
  }

  public OffsetDateTime getAt() {
    return at;
  }

  public String getActor() {
    return actor;
  }

  public String getAction() {
    return action;
  }

  public String getTarget() {
    return target;
  }

  public String getOutcome() {
    return outcome;
  }

  public String getDetail() {
    return detail;
  }
}
