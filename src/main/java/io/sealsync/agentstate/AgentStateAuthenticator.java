package io.sealsync.agentstate;

import io.sealsync.billing.Account;
import io.sealsync.platform.Timestamps;
import io.sealsync.platform.db.DatabaseFailures;
import io.sealsync.security.ApiKey;
import io.sealsync.security.ApiKeys;
import io.sealsync.security.BearerToken;
import io.sealsync.security.Tenant;
import io.sealsync.security.TenantDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Authenticates a request in the order of agent-state.md §3.4. Transient failures are 5xx, never
 * 401: a 401 halts the shipping client for good.
 */
@ApplicationScoped
public class AgentStateAuthenticator {
  private static final Logger LOG = Logger.getLogger(AgentStateAuthenticator.class.getName());
  private static final Set<String> PROJECT_SCOPES = Set.of(ApiKey.SCOPE_READ, ApiKey.SCOPE_WRITE);

  @Inject ApiKeys apiKeys;
  @Inject TenantDirectory tenants;

  @PersistenceContext(unitName = "sealsync")
  EntityManager em;

  public AgentStateCaller authenticate(String authorization) {
    BearerToken token =
        BearerToken.parse(authorization)
            .orElseThrow(AgentStateError.MISSING_OR_INVALID_BEARER_TOKEN::exception);
    if (token.kind() == BearerToken.Kind.PROJECT) {
      return new AgentStateCaller(token.tokenHash(), null, null, PROJECT_SCOPES);
    }
    ApiKey key =
        lookup(() -> apiKeys.findByHash(token.tokenHash()), AgentStateError.AUTH_LOOKUP_FAILED)
            .orElseThrow(AgentStateError.INVALID_API_KEY::exception);
    OffsetDateTime now = Timestamps.now();
    if (key.getRevokedAt() != null) {
      throw AgentStateError.API_KEY_REVOKED.exception();
    }
    if (key.getExpiresAt() != null && !key.getExpiresAt().isAfter(now)) {
      throw AgentStateError.API_KEY_EXPIRED.exception();
    }
    Optional<Tenant> tenant =
        lookup(
            () -> {
              Account account = em.find(Account.class, key.getAccountId());
              return account == null
                  ? Optional.empty()
                  : tenants.findAccountTenant(account.getId());
            },
            AgentStateError.AUTH_USER_LOOKUP_FAILED);
    Tenant owner = tenant.orElseThrow(AgentStateError.OWNER_NOT_FOUND::exception);
    if ((key.getLastUsedAt() == null || key.getLastUsedAt().isBefore(now.minusMinutes(1)))
        && apiKeys.claimUseRecord(key.getId())) {
      try {
        apiKeys.touch(key.getId());
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "last_used_at not updated", e);
      }
    }
    return new AgentStateCaller(null, owner.getAccountId(), owner.getId(), key.getScopes());
  }

  private static <T> T lookup(java.util.function.Supplier<T> query, AgentStateError onFailure) {
    try {
      return query.get();
    } catch (AgentStateException e) {
      throw e;
    } catch (RuntimeException e) {
      if (DatabaseFailures.isTransient(e)) {
        // The database is briefly out of reach: the client is told to retry (§3.4: never 401).
        throw new TransientLookupFailure(onFailure, e);
      }
      LOG.log(Level.WARNING, "authentication lookup failed", e);
      throw onFailure.exception();
    }
  }

  /**
   * A lookup that failed transiently: answered 503 with {@code Retry-After} and the lookup's code
   * ({@code auth_lookup_failed}, {@code auth_user_lookup_failed}), which the clients retry.
   */
  static final class TransientLookupFailure extends RuntimeException {
    private final AgentStateError failed;

    TransientLookupFailure(AgentStateError failed, RuntimeException cause) {
      super(cause.getMessage(), cause);
      this.failed = failed;
    }

    AgentStateError failed() {
      return failed;
    }
  }
}
