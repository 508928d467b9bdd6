package io.sealsync.admin;

import io.sealsync.billing.Account;
import io.sealsync.platform.Timestamps;
import io.sealsync.platform.db.HotStatement;
import io.sealsync.platform.errors.ApiException;
import io.sealsync.security.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.Locale;

/** Operator tasks on accounts and their tenants. */
@ApplicationScoped
public class AdminService {
  @PersistenceContext(unitName = "sealsync")
  EntityManager em;

  public record AccountTenant(Account account, Tenant tenant) {}

  @HotStatement
  static final String LOCK_NAME = "SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))";

  @HotStatement
  static final String NAME_TAKEN = "SELECT COUNT(a) FROM Account a WHERE LOWER(a.name) = :n";

  /** Creates a paying account together with its tenant. */
  @Transactional
  public AccountTenant createAccount(String name) {
    // Two operators creating one name at once: the second waits here, then sees the first's row
    // and answers name_taken instead of failing on the unique index.
    em.createNativeQuery(LOCK_NAME)
        .setParameter(1, "sealsync.account-name:" + name.toLowerCase(Locale.ROOT))
        .getSingleResult();
    Long taken =
        em.createQuery(NAME_TAKEN, Long.class)
            .setParameter("n", name.toLowerCase(Locale.ROOT))
            .getSingleResult();
    if (taken > 0) {
      throw new ApiException(409, "name_taken", "a tenant named '" + name + "' exists already");
    }
    OffsetDateTime now = Timestamps.now();
    Account account = new Account(name, now);
    em.persist(account);
    em.flush();
    Tenant tenant = Tenant.forAccount(account.getId(), now);
    em.persist(tenant);
    em.flush();
    return new AccountTenant(account, tenant);
  }

  /** The account tenant with this id; project tenants have no account and are not administered. */
  @Transactional(Transactional.TxType.SUPPORTS)
  public AccountTenant find(long tenantId) {
    Tenant tenant = em.find(Tenant.class, tenantId);
    if (tenant == null || tenant.getAccountId() == null) {
      throw ApiException.notFound("no account tenant " + tenantId);
    }
    return new AccountTenant(em.find(Account.class, tenant.getAccountId()), tenant);
  }
}
