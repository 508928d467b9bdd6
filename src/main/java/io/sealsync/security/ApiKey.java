package io.sealsync.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/** A live API key of an account. Only the SHA-256 of the whole token is stored. */
@Entity
@Table(name = "api_key")
public class ApiKey {
  public static final String SCOPE_READ = "read";
  public static final String SCOPE_WRITE = "write";

  @Id
  @SequenceGenerator(name = "api_key_seq", sequenceName = "api_key_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "api_key_seq")
  private Long id;

  @Column(name = "account_id", nullable = false)
  private long accountId;

  @Column(name = "key_hash", nullable = false)
  private String keyHash;

  @Column(name = "key_prefix", nullable = false)
  private String keyPrefix;

  @Column(nullable = false)
  private String name;

  @Column(nullable = false)
  private String scopes;

  @Column(name = "created_at", nullable = false)
  private OffsetDateTime createdAt;

  @Column(name = "last_used_at")
  private OffsetDateTime lastUsedAt;

  @Column(name = "expires_at")
  private OffsetDateTime expiresAt;

  @Column(name = "revoked_at")
  private OffsetDateTime revokedAt;

  protected ApiKey() {}

  public ApiKey(
      long accountId,
      String keyHash,
      String keyPrefix,
      String name,
      Set<String> scopes,
      OffsetDateTime createdAt,
      OffsetDateTime expiresAt) {
    this.accountId = accountId;
    this.keyHash = keyHash;
    this.keyPrefix = keyPrefix;
    this.name = name;
    this.scopes = String.join(",", scopes);
    this.createdAt = createdAt;
    this.expiresAt = expiresAt;
  }

  public Long getId() {
    return id;
  }

  public long getAccountId() {
    return accountId;
  }

  public String getKeyPrefix() {
    return keyPrefix;
  }

  public String getName() {
    return name;
  }

  public Set<String> getScopes() {
    return new LinkedHashSet<>(Arrays.asList(scopes.split(",")));
  }

  public OffsetDateTime getCreatedAt() {
    return createdAt;
  }

  public OffsetDateTime getLastUsedAt() {
    return lastUsedAt;
  }

  public OffsetDateTime getExpiresAt() {
    return expiresAt;
  }

  public OffsetDateTime getRevokedAt() {
    return revokedAt;
  }

  public void revoke(OffsetDateTime at) {
    if (revokedAt == null) {
      revokedAt = at;
    }
  }
}
