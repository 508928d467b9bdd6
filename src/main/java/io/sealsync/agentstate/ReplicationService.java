package io.sealsync.agentstate;

import io.sealsync.billing.BillingService;
import io.sealsync.billing.CreditArithmetic;
import io.sealsync.platform.Timestamps;
import io.sealsync.security.TenantDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The per-tenant replication log: verified appends and head (agent-state.md §5-§8; replay is
 * streamed by {@link ReplayPages}). Every append is one transaction with its debit, and appends of
 * one tenant are serialized, so the log never forks, never has a gap and no block is charged twice.
 */
@ApplicationScoped
public class ReplicationService {
  /** Rows per multi-row INSERT: 6 parameters each stays far below the driver's limit. */
  private static final int INSERT_BATCH = 500;

  private static final int LOOKUP_BATCH = 1000;

  @PersistenceContext(unitName = "sealsync")
  EntityManager em;

  @Inject TenantDirectory tenants;
  @Inject BillingService billing;

  /** A stored entry without its ciphertext. */
  public record LogHead(long sequenceNumber, String merkleRoot, OffsetDateTime createdAt) {}

  /**
   * The outcome of a replicate request: {@code idempotent} when every chunk was already stored;
   * {@code acknowledged} is the highest sequence of the request and its stored root.
   */
  public record Outcome(boolean idempotent, LogHead acknowledged) {}

  @Transactional
  public Outcome replicate(AgentStateCaller caller, ReplicateRequest request) {
    long tenantId =
        caller.isProject()
            ? tenants.ensureProjectTenant(caller.projectTokenHash())
            : caller.accountTenantId();
    em.createNativeQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))) l")
        .setParameter(1, "replicate:" + tenantId)
        .getSingleResult();

    // The head first: a worker's request continues it, and then nothing can be stored yet.
    Optional<LogHead> head = head(tenantId);
    long headSeq = head.map(LogHead::sequenceNumber).orElse(-1L);
    Map<Long, String> stored =
        request.chunks().stream().anyMatch(c -> c.sequenceNumber() <= headSeq)
            ? storedHashes(tenantId, request.chunks())
            : Map.of();
    JsonArrayBuilder conflicts = Json.createArrayBuilder();
    boolean conflicting = false;
    List<ReplicateRequest.Chunk> fresh = new ArrayList<>();
    for (ReplicateRequest.Chunk c : request.chunks()) {
      String existing = stored.get(c.sequenceNumber());
      if (existing == null) {
        fresh.add(c);
      } else if (!existing.equals(c.blockHash().hex())) {
        conflicting = true;
        conflicts.add(
            Json.createObjectBuilder()
                .add("sequence_number", c.sequenceNumber())
                .add("existing_block_hash", existing)
                .add("attempted_block_hash", c.blockHash().hex()));
      }
    }
    if (conflicting) {
      throw new AgentStateException(
          AgentStateError.SPLIT_BRAIN_DETECTED,
          AgentStateError.SPLIT_BRAIN_DETECTED.code(),
          conflicts.build());
    }
    if (fresh.isEmpty()) {
      return new Outcome(true, entry(tenantId, request.maxSequenceNumber()).orElseThrow());
    }

    fresh.sort(Comparator.comparingLong(ReplicateRequest.Chunk::sequenceNumber));
    long expected = head.map(h -> h.sequenceNumber() + 1).orElse(0L);
    BlockHash root = head.map(h -> new BlockHash(h.merkleRoot())).orElse(HashChain.GENESIS);
    List<BlockHash> roots = new ArrayList<>(fresh.size());
    long bytes = 0;
    for (ReplicateRequest.Chunk c : fresh) {
      if (c.sequenceNumber() != expected) {
        throw AgentStateError.REPLICATION_SEQUENCE_GAP.exception();
      }
      root = HashChain.next(root, c.blockHash());
      roots.add(root);
      bytes += c.ciphertext().length;
      expected++;
    }
    if (!root.equals(request.merkleRoot())) {
      throw AgentStateError.MERKLE_ROOT_MISMATCH.exception();
    }
    if (caller.pays()) {
      long cost = CreditArithmetic.price(bytes);
      if (cost > 0) {
        billing.debit(
            caller.accountId(), tenantId, cost, "replicate", UUID.randomUUID().toString());
      }
    }
    OffsetDateTime now = Timestamps.now();
    insert(tenantId, fresh, roots);
    // New chunks continue the head, so the request's highest sequence is the last new one.
    return new Outcome(
        false, new LogHead(request.maxSequenceNumber(), roots.get(roots.size() - 1).hex(), now));
  }

  private Map<Long, String> storedHashes(long tenantId, List<ReplicateRequest.Chunk> chunks) {
    Map<Long, String> stored = new HashMap<>();
    List<Long> seqs = chunks.stream().map(ReplicateRequest.Chunk::sequenceNumber).toList();
    for (int i = 0; i < seqs.size(); i += LOOKUP_BATCH) {
      List<?> rows =
          em.createNativeQuery(
                  "SELECT sequence_number, block_hash FROM replication_log"
                      + " WHERE tenant_id = ?1 AND sequence_number = ANY (CAST(?2 AS BIGINT[]))")
              .setParameter(1, tenantId)
              .setParameter(
                  2, arrayLiteral(seqs.subList(i, Math.min(seqs.size(), i + LOOKUP_BATCH))))
              .getResultList();
      for (Object row : rows) {
        Object[] r = (Object[]) row;
        stored.put(((Number) r[0]).longValue(), ((String) r[1]).trim());
      }
    }
    return stored;
  }

  /**
   * A PostgreSQL array literal of numbers, bound as one text parameter: portable across providers.
   */
  private static String arrayLiteral(List<Long> values) {
    StringBuilder sb = new StringBuilder("{");
    for (Long v : values) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append(v.longValue());
    }
    return sb.append('}').toString();
  }

  private void insert(long tenantId, List<ReplicateRequest.Chunk> chunks, List<BlockHash> roots) {
    for (int from = 0; from < chunks.size(); from += INSERT_BATCH) {
      int to = Math.min(chunks.size(), from + INSERT_BATCH);
      StringBuilder sql =
          new StringBuilder(
              "INSERT INTO replication_log"
                  + " (tenant_id, sequence_number, block_hash, merkle_root, ciphertext, byte_size)"
                  + " VALUES ");
      int p = 1;
      for (int i = from; i < to; i++) {
        if (i > from) {
          sql.append(',');
        }
        sql.append('(');
        for (int col = 0; col < 6; col++) {
          sql.append(col == 0 ? "?" : ",?").append(p++);
        }
        sql.append(')');
      }
      Query q = em.createNativeQuery(sql.toString());
      p = 1;
      for (int i = from; i < to; i++) {
        ReplicateRequest.Chunk c = chunks.get(i);
        q.setParameter(p++, tenantId)
            .setParameter(p++, c.sequenceNumber())
            .setParameter(p++, c.blockHash().hex())
            .setParameter(p++, roots.get(i).hex())
            .setParameter(p++, c.ciphertext())
            .setParameter(p++, c.ciphertext().length);
      }
      q.executeUpdate();
    }
  }

  @Transactional(Transactional.TxType.SUPPORTS)
  public Optional<LogHead> head(long tenantId) {
    return heads(
        em.createNativeQuery(
                "SELECT sequence_number, merkle_root, created_at FROM replication_log"
                    + " WHERE tenant_id = ?1 ORDER BY sequence_number DESC LIMIT 1")
            .setParameter(1, tenantId));
  }

  private Optional<LogHead> entry(long tenantId, long seq) {
    return heads(
        em.createNativeQuery(
                "SELECT sequence_number, merkle_root, created_at FROM replication_log"
                    + " WHERE tenant_id = ?1 AND sequence_number = ?2")
            .setParameter(1, tenantId)
            .setParameter(2, seq));
  }

  private static Optional<LogHead> heads(Query q) {
    return q.getResultList().stream()
        .findFirst()
        .map(
            row -> {
              Object[] r = (Object[]) row;
              return new LogHead(
                  ((Number) r[0]).longValue(), ((String) r[1]).trim(), timestamp(r[2]));
            });
  }

  /** Native queries return the driver's type for timestamptz, which differs between providers. */
  private static OffsetDateTime timestamp(Object value) {
    if (value instanceof OffsetDateTime t) {
      return t;
    }
    if (value instanceof java.sql.Timestamp t) {
      return t.toInstant().atOffset(java.time.ZoneOffset.UTC);
    }
    if (value instanceof java.time.Instant i) {
      return i.atOffset(java.time.ZoneOffset.UTC);
    }
    throw new IllegalStateException("unexpected timestamp type " + value.getClass());
  }
}
