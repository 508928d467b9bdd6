package io.sealsync.billing;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * A paying customer: whole prepaid cents plus the owed sub-cent remainder (agent-state.md §12.2).
 */
@Entity
@Table(name = "account")
public class Account {
  @Id
  @SequenceGenerator(name = "account_seq", sequenceName = "account_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "account_seq")
  private Long id;

  @Column(nullable = false)
  private String name;

  @Column(nullable = false)
  private long credits;

  @Column(name = "credits_milli", nullable = false)
  private short creditsMilli;

  @Column(name = "created_at", nullable = false)
  private OffsetDateTime createdAt;

  protected Account() {}

  public Account(String name, OffsetDateTime createdAt) {
    this.name = name;
    this.createdAt = createdAt;
  }

  public Long getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public long getCredits() {
    return credits;
  }

  public int getCreditsMilli() {
    return creditsMilli;
  }

  public OffsetDateTime getCreatedAt() {
    return createdAt;
  }

  void setBalance(CreditArithmetic.Balance balance) {
    this.credits = balance.credits();
    this.creditsMilli = (short) balance.creditsMilli();
  }

  public CreditArithmetic.Balance balance() {
    return new CreditArithmetic.Balance(credits, creditsMilli);
  }
}
