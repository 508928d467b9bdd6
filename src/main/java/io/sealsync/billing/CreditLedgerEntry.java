package io.sealsync.billing;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** One change of an account's balance; rows are only ever inserted. */
@Entity
@Table(name = "credit_ledger")
public class CreditLedgerEntry {
  @Id
  @SequenceGenerator(
      name = "credit_ledger_seq",
      sequenceName = "credit_ledger_seq",
      allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "credit_ledger_seq")
  private Long id;

  @Column(name = "account_id", nullable = false)
  private long accountId;

  @Column(name = "tenant_id")
  private Long tenantId;

  @Column(name = "delta_milli", nullable = false)
  private long deltaMilli;

  @Column(nullable = false)
  private String reason;

  @Column(name = "request_id", nullable = false)
  private String requestId;

  @Column(name = "credits_after", nullable = false)
  private long creditsAfter;

  @Column(name = "credits_milli_after", nullable = false)
  private short creditsMilliAfter;

  @Column(name = "created_at", nullable = false)
  private OffsetDateTime createdAt;

  protected CreditLedgerEntry() {}

  CreditLedgerEntry(
      long accountId,
      Long tenantId,
      long deltaMilli,
      String reason,
      String requestId,
      CreditArithmetic.Balance after,
      OffsetDateTime createdAt) {
    this.accountId = accountId;
    this.tenantId = tenantId;
    this.deltaMilli = deltaMilli;
    this.reason = reason;
    this.requestId = requestId;
    this.creditsAfter = after.credits();
    this.creditsMilliAfter = (short) after.creditsMilli();
    this.createdAt = createdAt;
  }

  public Long getId() {
    return id;
  }

  public long getAccountId() {
    return accountId;
  }

  public Long getTenantId() {
    return tenantId;
  }

  public long getDeltaMilli() {
    return deltaMilli;
  }

  public String getReason() {
    return reason;
  }

  public String getRequestId() {
    return requestId;
  }

  public long getCreditsAfter() {
    return creditsAfter;
  }

  public int getCreditsMilliAfter() {
    return creditsMilliAfter;
  }

  public OffsetDateTime getCreatedAt() {
    return createdAt;
  }
}
