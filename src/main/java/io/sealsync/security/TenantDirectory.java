package io.sealsync.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/**
 * Finds and creates tenants. Every data access of the protocols starts from a tenant id found here.
 */
@ApplicationScoped
public class TenantDirectory {
  @PersistenceContext(unitName = "sealsync")
  EntityManager em;

  @Transactional(Transactional.TxType.SUPPORTS)
  public Optional<Long> findProjectTenant(String tokenHash) {
    List<Long> ids =
        em.createQuery("SELECT t.id FROM Tenant t WHERE t.tokenHash = :h", Long.class)
            .setParameter("h", tokenHash)
            .getResultList();
    return ids.stream().findFirst();
  }

  /**
   * A project token's tenant comes into being with its first write; concurrent first writes agree.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public long ensureProjectTenant(String tokenHash) {
    em.createNativeQuery(
            "INSERT INTO tenant (id, kind, token_hash, created_at) "
                + "VALUES (nextval('tenant_seq'), 'project', ?1, now()) ON CONFLICT (token_hash) DO NOTHING")
        .setParameter(1, tokenHash)
        .executeUpdate();
    return findProjectTenant(tokenHash).orElseThrow();
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public Optional<Tenant> findAccountTenant(long accountId) {
    return em
        .createQuery("SELECT t FROM Tenant t WHERE t.accountId = :a", Tenant.class)
        .setParameter("a", accountId)
        .getResultList()
        .stream()
        .findFirst();
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public Optional<Tenant> find(long tenantId) {
    return Optional.ofNullable(em.find(Tenant.class, tenantId));
  }
}
