package io.sealsync.security;

import io.sealsync.platform.db.HotStatement;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds and creates tenants. Every data access of the protocols starts from a tenant id found here.
 */
@ApplicationScoped
public class TenantDirectory {
  /** Enough for the active writers of a node; past it the map starts over. */
  private static final int KNOWN_PROJECT_TENANTS = 100_000;

  @PersistenceContext(unitName = "sealsync")
  EntityManager em;

  /**
   * Project tenants this node has seen, by token hash. A tenant row is never deleted or re-keyed,
   * so a known id stays right; it saves every write after the first two statements.
   */
  private final Map<String, Long> projectTenants = new ConcurrentHashMap<>();

  @HotStatement
  static final String PROJECT_TENANT = "SELECT t.id FROM Tenant t WHERE t.tokenHash = :h";

  @Transactional(Transactional.TxType.SUPPORTS)
  public Optional<Long> findProjectTenant(String tokenHash) {
    List<Long> ids =
        em.createQuery(PROJECT_TENANT, Long.class).setParameter("h", tokenHash).getResultList();
    return ids.stream().findFirst();
  }

  @HotStatement
  static final String INSERT_PROJECT_TENANT =
      "INSERT INTO tenant (id, kind, token_hash, created_at) "
          + "VALUES (nextval('tenant_seq'), 'project', ?1, now()) ON CONFLICT (token_hash) DO NOTHING";

  /**
   * A project token's tenant comes into being with its first write; concurrent first writes agree.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public long ensureProjectTenant(String tokenHash) {
    Long known = projectTenants.get(tokenHash);
    if (known != null) {
      return known;
    }
    int inserted =
        em.createNativeQuery(INSERT_PROJECT_TENANT).setParameter(1, tokenHash).executeUpdate();
    long id = findProjectTenant(tokenHash).orElseThrow();
    // Only a committed row may be remembered: one this transaction inserted goes if it rolls back.
    if (inserted == 0) {
      if (projectTenants.size() >= KNOWN_PROJECT_TENANTS) {
        projectTenants.clear();
      }
      projectTenants.put(tokenHash, id);
    }
    return id;
  }

  @HotStatement
  static final String ACCOUNT_TENANT = "SELECT t FROM Tenant t WHERE t.accountId = :a";

  @Transactional(Transactional.TxType.SUPPORTS)
  public Optional<Tenant> findAccountTenant(long accountId) {
    return em
        .createQuery(ACCOUNT_TENANT, Tenant.class)
        .setParameter("a", accountId)
        .getResultList()
        .stream()
        .findFirst();
  }
}
