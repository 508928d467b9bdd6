package io.sealsync.agentstate;

import io.sealsync.billing.BillingService;
import io.sealsync.platform.Timestamps;
import io.sealsync.platform.db.HotStatement;
import io.sealsync.platform.observability.Metrics;
import io.sealsync.security.TenantDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Snapshot lineages per (tenant, agent): create with idempotent replay, restore and lineage reads.
 */
@ApplicationScoped
public class SnapshotService {
  /** Receipts straight from the columns: the ciphertext is never loaded for a receipt. */
  private static final String RECEIPTS =
      "SELECT NEW io.sealsync.agentstate.SnapshotReceipt(s.id, s.agentId, s.sequenceNumber,"
          + " s.storageKey, s.byteSize, s.costMilli, s.clientPayloadHash, s.status, s.confirmedAt)"
          + " FROM AgentStateSnapshot s";

  @HotStatement
  static final String LOCK_LINEAGE =
      "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))) l";

  @HotStatement
  static final String STORED =
      "SELECT s FROM AgentStateSnapshot s WHERE s.tenantId = :t AND s.agentId = :a"
          + " AND s.sequenceNumber = :n";

  @HotStatement
  static final String LATEST_SEQUENCE =
      "SELECT MAX(s.sequenceNumber) FROM AgentStateSnapshot s WHERE s.tenantId = :t AND s.agentId = :a";

  @HotStatement
  static final String LATEST =
      RECEIPTS
          + " WHERE s.tenantId = :t AND s.agentId = :a AND s.status = 'confirmed'"
          + " ORDER BY s.sequenceNumber DESC";

  @HotStatement
  static final String AT_SEQUENCE =
      RECEIPTS
          + " WHERE s.tenantId = :t AND s.agentId = :a AND s.status = 'confirmed'"
          + " AND s.sequenceNumber = :n";

  @HotStatement
  static final String LINEAGE =
      "SELECT NEW io.sealsync.agentstate.LineageEntry(s.sequenceNumber, s.storageKey,"
          + " s.parentSnapshot, s.clientPayloadHash, s.confirmedAt)"
          + " FROM AgentStateSnapshot s WHERE s.tenantId = :t AND s.agentId = :a"
          + " AND s.status = 'confirmed' ORDER BY s.sequenceNumber DESC";

  @HotStatement
  static final String CIPHERTEXT =
      "SELECT s.ciphertext FROM AgentStateSnapshot s WHERE s.id = :id AND s.status = 'confirmed'";

  @PersistenceContext(unitName = "sealsync")
  EntityManager em;

  @Inject Metrics metrics;
  @Inject TenantDirectory tenants;
  @Inject BillingService billing;

  /**
   * Stores a snapshot, or answers a retry of a stored one, in one transaction with its debit
   * (agent-state.md §9.3). Writers of one lineage are serialized, so a race ends in one row.
   */
  @Transactional
  public SnapshotReceipt create(AgentStateCaller caller, SnapshotRequest r) {
    long tenantId =
        caller.isProject()
            ? tenants.ensureProjectTenant(caller.projectTokenHash())
            : caller.accountTenantId();
    String agent = r.agentId().value();
    em.createNativeQuery(LOCK_LINEAGE)
        .setParameter(1, "snapshot:" + tenantId + ":" + agent)
        .getSingleResult();

    List<AgentStateSnapshot> existing =
        em.createQuery(STORED, AgentStateSnapshot.class)
            .setParameter("t", tenantId)
            .setParameter("a", agent)
            .setParameter("n", r.sequenceNumber())
            .getResultList();
    if (!existing.isEmpty()) {
      AgentStateSnapshot row = existing.get(0);
      if (!row.getClientPayloadHash().equals(r.clientPayloadHash())) {
        throw AgentStateError.SEQUENCE_CONFLICT.exception();
      }
      if (!AgentStateSnapshot.CONFIRMED.equals(row.getStatus())) {
        // A failed attempt was refunded; completing it charges again.
        int cost = charge(caller, tenantId, r);
        row.complete(r, cost, Timestamps.now());
      }
      return row.receipt();
    }

    Long latest =
        em.createQuery(LATEST_SEQUENCE, Long.class)
            .setParameter("t", tenantId)
            .setParameter("a", agent)
            .getSingleResult();
    long expected = latest == null ? 0 : latest + 1;
    if (r.sequenceNumber() != expected) {
      throw AgentStateError.SEQUENCE_GAP.exception();
    }
    int cost = charge(caller, tenantId, r);
    AgentStateSnapshot row =
        new AgentStateSnapshot(UUID.randomUUID().toString(), tenantId, r, cost, Timestamps.now());
    em.persist(row);
    em.flush();
    metrics.afterCommit(metrics::snapshotStored);
    return row.receipt();
  }

  private int charge(AgentStateCaller caller, long tenantId, SnapshotRequest r) {
    if (!caller.pays()) {
      return 0;
    }
    long cost = billing.price(r.byteSize());
    if (cost > 0) {
      billing.debit(caller.accountId(), tenantId, cost, "snapshot", UUID.randomUUID().toString());
    }
    return (int) cost;
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public Optional<SnapshotReceipt> latest(Optional<Long> tenantId, AgentId agent) {
    if (tenantId.isEmpty()) {
      return Optional.empty();
    }
    return em
        .createQuery(LATEST, SnapshotReceipt.class)
        .setParameter("t", tenantId.get())
        .setParameter("a", agent.value())
        .setMaxResults(1)
        .getResultList()
        .stream()
        .findFirst();
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public Optional<SnapshotReceipt> atSequence(Optional<Long> tenantId, AgentId agent, long seq) {
    if (tenantId.isEmpty()) {
      return Optional.empty();
    }
    return em
        .createQuery(AT_SEQUENCE, SnapshotReceipt.class)
        .setParameter("t", tenantId.get())
        .setParameter("a", agent.value())
        .setParameter("n", seq)
        .getResultList()
        .stream()
        .findFirst();
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public List<LineageEntry> lineage(Optional<Long> tenantId, AgentId agent, int limit) {
    if (tenantId.isEmpty()) {
      return List.of();
    }
    return em.createQuery(LINEAGE, LineageEntry.class)
        .setParameter("t", tenantId.get())
        .setParameter("a", agent.value())
        .setMaxResults(limit)
        .getResultList();
  }

  /**
   * The stored ciphertext of a confirmed snapshot, by its id (the id is only known from a receipt).
   */
  @Transactional(Transactional.TxType.SUPPORTS)
  public Optional<byte[]> ciphertext(String snapshotId) {
    return em
        .createQuery(CIPHERTEXT, byte[].class)
        .setParameter("id", snapshotId)
        .getResultList()
        .stream()
        .findFirst();
  }
}
