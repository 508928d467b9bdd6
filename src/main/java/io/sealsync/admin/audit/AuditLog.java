package io.sealsync.admin.audit;

import io.sealsync.admin.Paging;
import io.sealsync.platform.Timestamps;
import io.sealsync.platform.db.HotStatement;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The append-only table {@code operator_audit} (migration V3). */
@ApplicationScoped
public class AuditLog {
  static final int MAX_TEXT = 2000;

  @PersistenceContext(unitName = "sealsync")
  EntityManager em;

  /** One recorded action, as the operator API shows it. */
  public record Entry(
      long id,
      String at,
      String actor,
      String action,
      String target,
      String outcome,
      String detail) {}

  /** What to record; the id and time are the database's. */
  public record Record(String actor, String action, String target, String outcome, String detail) {}

  /** Records inside the caller's transaction: it commits or rolls back with the action. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void append(Record r) {
    insert(r);
  }

  /** Records a failed action on its own, after the action's transaction rolled back. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void appendAlone(Record r) {
    insert(r);
  }

  @HotStatement
  static final String INSERT =
      "INSERT INTO operator_audit (actor, action, target, outcome, detail)"
          + " VALUES (?1, ?2, ?3, ?4, ?5)";

  private void insert(Record r) {
    em.createNativeQuery(INSERT)
        .setParameter(1, clip(r.actor()))
        .setParameter(2, clip(r.action()))
        .setParameter(3, clip(r.target()))
        .setParameter(4, r.outcome())
        .setParameter(5, clip(r.detail()))
        .executeUpdate();
  }

  /** Filters of a page; null fields do not filter. */
  public record Filter(
      String actor, String action, String target, String outcome, Long before, int limit) {}

  /** The page query of {@code f}: its non-null filters, newest first. */
  @HotStatement
  static String pageJpql(Filter f) {
    StringBuilder jpql = new StringBuilder("SELECT e FROM OperatorAuditEntry e WHERE 1 = 1");
    if (f.actor() != null) {
      jpql.append(" AND e.actor = :actor");
    }
    if (f.action() != null) {
      jpql.append(" AND e.action LIKE :action ESCAPE '\\'");
    }
    if (f.target() != null) {
      jpql.append(" AND LOWER(e.target) LIKE LOWER(:target) ESCAPE '\\'");
    }
    if (f.outcome() != null) {
      jpql.append(" AND e.outcome = :outcome");
    }
    if (f.before() != null) {
      jpql.append(" AND e.id < :before");
    }
    return jpql.append(" ORDER BY e.id DESC").toString();
  }

  /** Newest first, keyset-paged by id ({@code before}). */
  @Transactional(Transactional.TxType.SUPPORTS)
  public List<Entry> page(Filter f) {
    Map<String, Object> params = new LinkedHashMap<>();
    if (f.actor() != null) {
      params.put("actor", f.actor());
    }
    if (f.action() != null) {
      // Prefix match: "key." finds key.issue and key.revoke.
      params.put("action", Paging.escapeLike(f.action()) + "%");
    }
    if (f.target() != null) {
      params.put("target", Paging.containsPattern(f.target()));
    }
    if (f.outcome() != null) {
      params.put("outcome", f.outcome());
    }
    if (f.before() != null) {
      params.put("before", f.before());
    }
    TypedQuery<OperatorAuditEntry> q =
        em.createQuery(pageJpql(f), OperatorAuditEntry.class).setMaxResults(f.limit());
    params.forEach(q::setParameter);
    return q.getResultList().stream()
        .map(
            e ->
                new Entry(
                    e.getId(),
                    Timestamps.format(e.getAt()),
                    e.getActor(),
                    e.getAction(),
                    e.getTarget(),
                    e.getOutcome(),
                    e.getDetail()))
        .toList();
  }

  private static String clip(String s) {
    if (s == null) {
      return "";
    }
    String clean = s.replace('\u0000', '\uFFFD');
    return clean.length() > MAX_TEXT ? clean.substring(0, MAX_TEXT) + "…" : clean;
  }
}
