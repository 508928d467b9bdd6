package io.sealsync.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * One isolated namespace of data. A project token's tenant is keyed by the SHA-256 of the token
 * (the token itself is never stored); an account's tenant is shared by all its live keys.
 */
@Entity
@Table(name = "tenant")
public class Tenant {
  public static final String PROJECT = "project";
  public static final String ACCOUNT = "account";

  @Id
  @SequenceGenerator(name = "tenant_seq", sequenceName = "tenant_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "tenant_seq")
  private Long id;

  @Column(nullable = false)
  private String kind;

  @Column(name = "token_hash")
  private String tokenHash;

  @Column(name = "account_id")
  private Long accountId;

  @Column(name = "created_at", nullable = false)
  private OffsetDateTime createdAt;

  protected Tenant() {}

  private Tenant(String kind, String tokenHash, Long accountId, OffsetDateTime createdAt) {
    this.kind = kind;
    this.tokenHash = tokenHash;
    this.accountId = accountId;
    this.createdAt = createdAt;
  }

  public static Tenant forAccount(long accountId, OffsetDateTime createdAt) {
    return new Tenant(ACCOUNT, null, accountId, createdAt);
  }

  public Long getId() {
    return id;
  }

  public Long getAccountId() {
    return accountId;
  }

  public OffsetDateTime getCreatedAt() {
    return createdAt;
  }
}
