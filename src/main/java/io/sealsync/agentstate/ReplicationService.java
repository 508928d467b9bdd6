package io.sealsync.agentstate;

import io.sealsync.billing.BillingService;
import io.sealsync.platform.JsonFactory;
import io.sealsync.platform.Timestamps;
import io.sealsync.platform.db.Database;
import io.sealsync.platform.db.HotStatement;
import io.sealsync.platform.observability.Metrics;
import io.sealsync.security.TenantDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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

  @HotStatement
  static final String LOCK_APPENDS = "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))";

  @HotStatement
  static final String HEAD =
      "SELECT sequence_number, merkle_root, created_at FROM replication_log"
          + " WHERE tenant_id = ? ORDER BY sequence_number DESC LIMIT 1";

  // Plain JDBC rather than the persistence context: this is the hottest write path, and the
  // provider's native-query machinery cost about a sixth of a request's CPU.
  @Inject Metrics metrics;
  @Inject Database db;

  // The read of the head alone (GET /head, the console) goes through the persistence context.
  @PersistenceContext(unitName = "sealsync")
  EntityManager em;

  @Inject TenantDirectory tenants;
  @Inject BillingService billing;

  /** A stored entry without its ciphertext. */
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
    try (Connection c = db.connection()) {
      // The head first: a worker's request continues it, and then nothing can be stored yet.
      Optional<LogHead> head = lockAndReadHead(c, tenantId);
      long headSeq = head.map(LogHead::sequenceNumber).orElse(-1L);
      Map<Long, String> stored =
          request.chunks().stream().anyMatch(ch -> ch.sequenceNumber() <= headSeq)
              ? storedHashes(c, tenantId, request.chunks())
              : Map.of();
      JsonArrayBuilder conflicts = JsonFactory.array();
      boolean conflicting = false;
      List<ReplicateRequest.Chunk> fresh = new ArrayList<>();
      for (ReplicateRequest.Chunk ch : request.chunks()) {
        String existing = stored.get(ch.sequenceNumber());
        if (existing == null) {
          fresh.add(ch);
        } else if (!existing.equals(ch.blockHash().hex())) {
          conflicting = true;
          conflicts.add(
              JsonFactory.object()
                  .add("sequence_number", ch.sequenceNumber())
                  .add("existing_block_hash", existing)
                  .add("attempted_block_hash", ch.blockHash().hex()));
        }
      }
      if (conflicting) {
        throw new AgentStateException(
            AgentStateError.SPLIT_BRAIN_DETECTED,
            AgentStateError.SPLIT_BRAIN_DETECTED.code(),
            conflicts.build());
      }
      if (fresh.isEmpty()) {
        return new Outcome(true, entry(c, tenantId, request.maxSequenceNumber()).orElseThrow());
      }

      fresh.sort(Comparator.comparingLong(ReplicateRequest.Chunk::sequenceNumber));
      long expected = head.map(h -> h.sequenceNumber() + 1).orElse(0L);
      BlockHash root = head.map(h -> new BlockHash(h.merkleRoot())).orElse(HashChain.GENESIS);
      List<BlockHash> roots = new ArrayList<>(fresh.size());
      long bytes = 0;
      for (ReplicateRequest.Chunk ch : fresh) {
        if (ch.sequenceNumber() != expected) {
          throw AgentStateError.REPLICATION_SEQUENCE_GAP.exception();
        }
        root = HashChain.next(root, ch.blockHash());
        roots.add(root);
        bytes += ch.ciphertext().length;
        expected++;
      }
      if (!root.equals(request.merkleRoot())) {
        throw AgentStateError.MERKLE_ROOT_MISMATCH.exception();
      }
      if (caller.pays()) {
        long cost = billing.price(bytes);
        if (cost > 0) {
          billing.debit(
              caller.accountId(), tenantId, cost, "replicate", UUID.randomUUID().toString());
        }
      }
      OffsetDateTime now = Timestamps.now();
      insert(c, tenantId, fresh, roots);
      int blocks = fresh.size();
      long replicated = bytes;
      metrics.afterCommit(() -> metrics.replicated(blocks, replicated));
      // New chunks continue the head, so the request's highest sequence is the last new one.
      return new Outcome(
          false, new LogHead(request.maxSequenceNumber(), roots.get(roots.size() - 1).hex(), now));
    } catch (SQLException e) {
      throw new PersistenceException(e);
    }
  }

  /**
   * Takes the tenant's append lock, then reads its head, in one round trip. They stay two
   * statements: under READ COMMITTED the second one's snapshot is taken after the lock is held, so
   * it sees the previous holder's commit.
   */
  private static Optional<LogHead> lockAndReadHead(Connection c, long tenantId)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(LOCK_APPENDS + "; " + HEAD)) {
      ps.setString(1, "replicate:" + tenantId);
      ps.setLong(2, tenantId);
      try (ResultSet rs = Database.secondResult(ps)) {
        return logHead(rs);
      }
    }
  }

  @HotStatement
  static final String STORED_HASHES =
      "SELECT sequence_number, block_hash FROM replication_log"
          + " WHERE tenant_id = ? AND sequence_number = ANY (?)";

  private static Map<Long, String> storedHashes(
      Connection c, long tenantId, List<ReplicateRequest.Chunk> chunks) throws SQLException {
    Map<Long, String> stored = new HashMap<>();
    List<Long> seqs = chunks.stream().map(ReplicateRequest.Chunk::sequenceNumber).toList();
    try (PreparedStatement ps = c.prepareStatement(STORED_HASHES)) {
      for (int i = 0; i < seqs.size(); i += LOOKUP_BATCH) {
        ps.setLong(1, tenantId);
        ps.setArray(
            2,
            c.createArrayOf(
                "bigint",
                seqs.subList(i, Math.min(seqs.size(), i + LOOKUP_BATCH)).toArray(Long[]::new)));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            stored.put(rs.getLong(1), rs.getString(2).trim());
          }
        }
      }
    }
    return stored;
  }

  /** One multi-row INSERT of {@code rows} blocks. */
  @HotStatement
  static String insertSql(int rows) {
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO replication_log"
                + " (tenant_id, sequence_number, block_hash, merkle_root, ciphertext, byte_size)"
                + " VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i > 0 ? ",(?,?,?,?,?,?)" : "(?,?,?,?,?,?)");
    }
    return sql.toString();
  }

  private static void insert(
      Connection c, long tenantId, List<ReplicateRequest.Chunk> chunks, List<BlockHash> roots)
      throws SQLException {
    for (int from = 0; from < chunks.size(); from += INSERT_BATCH) {
      int to = Math.min(chunks.size(), from + INSERT_BATCH);
      try (PreparedStatement ps = c.prepareStatement(insertSql(to - from))) {
        int p = 1;
        for (int i = from; i < to; i++) {
          ReplicateRequest.Chunk ch = chunks.get(i);
          ps.setLong(p++, tenantId);
          ps.setLong(p++, ch.sequenceNumber());
          ps.setString(p++, ch.blockHash().hex());
          ps.setString(p++, roots.get(i).hex());
          ps.setBytes(p++, ch.ciphertext());
          ps.setInt(p++, ch.ciphertext().length);
        }
        ps.executeUpdate();
      }
    }
  }

  @HotStatement
  static final String HEAD_JPQL =
      "SELECT NEW io.sealsync.agentstate.LogHead(e.sequenceNumber, e.merkleRoot, e.createdAt)"
          + " FROM ReplicationLogEntry e WHERE e.tenantId = :t ORDER BY e.sequenceNumber DESC";

  @Transactional(Transactional.TxType.SUPPORTS)
  public Optional<LogHead> head(long tenantId) {
    return em.createQuery(HEAD_JPQL, LogHead.class)
        .setParameter("t", tenantId)
        .setMaxResults(1)
        .getResultStream()
        .findFirst();
  }

  @HotStatement
  static final String ENTRY =
      "SELECT sequence_number, merkle_root, created_at FROM replication_log"
          + " WHERE tenant_id = ? AND sequence_number = ?";

  private static Optional<LogHead> entry(Connection c, long tenantId, long seq)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(ENTRY)) {
      ps.setLong(1, tenantId);
      ps.setLong(2, seq);
      try (ResultSet rs = ps.executeQuery()) {
        return logHead(rs);
      }
    }
  }

  private static Optional<LogHead> logHead(ResultSet rs) throws SQLException {
    if (!rs.next()) {
      return Optional.empty();
    }
    return Optional.of(
        new LogHead(
            rs.getLong(1),
            rs.getString(2).trim(),
            rs.getObject(3, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC)));
  }
}
