package io.sealsync.admin;

import io.sealsync.platform.Timestamps;
import io.sealsync.security.ApiKey;
import java.time.OffsetDateTime;
import java.util.List;

/** Response bodies of the operator API (snake_case on the wire). */
public final class AdminViews {
  private AdminViews() {}

  public record TenantView(
      long tenantId,
      long accountId,
      String name,
      long credits,
      int creditsMilli,
      String createdAt) {
    static TenantView of(AdminService.AccountTenant at) {
      return new TenantView(
          at.tenant().getId(),
          at.account().getId(),
          at.account().getName(),
          at.account().getCredits(),
          at.account().getCreditsMilli(),
          ts(at.account().getCreatedAt()));
    }
  }

  public record KeyView(
      long id,
      String name,
      String keyPrefix,
      List<String> scopes,
      String createdAt,
      String lastUsedAt,
      String expiresAt,
      String revokedAt) {
    static KeyView of(ApiKey k) {
      return new KeyView(
          k.getId(),
          k.getName(),
          k.getKeyPrefix(),
          List.copyOf(k.getScopes()),
          ts(k.getCreatedAt()),
          ts(k.getLastUsedAt()),
          ts(k.getExpiresAt()),
          ts(k.getRevokedAt()));
    }
  }

  /** Shown once, when the key is issued: the raw key is not stored anywhere. */
  public record IssuedKeyView(
      long id, String name, String key, List<String> scopes, String expiresAt) {}

  public record BalanceView(long tenantId, long credits, int creditsMilli) {}

  public record LedgerEntryView(
      long id,
      Long tenantId,
      long deltaMilli,
      String reason,
      String requestId,
      long creditsAfter,
      int creditsMilliAfter,
      String createdAt) {}

  /** A row of the tenant list. */
  public record TenantListItem(
      long tenantId,
      long accountId,
      String name,
      long credits,
      int creditsMilli,
      String createdAt,
      long liveKeys,
      String lastKeyUseAt) {}

  /** The balance (in milli-cents) after one ledger entry. */
  public record BalancePoint(String at, long balanceMilli) {}

  static String ts(OffsetDateTime t) {
    return t == null ? null : Timestamps.format(t);
  }
}
