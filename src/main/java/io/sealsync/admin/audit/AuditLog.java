package io.sealsync.admin.audit;

import io.sealsync.admin.Paging;
import io.sealsync.platform.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

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

  private void insert(Record r) {
    em.createNativeQuery(
            "INSERT INTO operator_audit (actor, action, target, outcome, detail)"
                + " VALUES (?1, ?2, ?3, ?4, ?5)")
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

  /** Newest first, keyset-paged by id ({@code before}). */
  @Transactional(Transactional.TxType.SUPPORTS)
  public List<Entry> page(Filter f) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT id, at, actor, action, target, outcome, detail FROM operator_audit WHERE TRUE");
    List<Object> params = new ArrayList<>();
    if (f.actor() != null) {
      params.add(f.actor());
      sql.append(" AND actor = ?").append(params.size());
    }
    if (f.action() != null) {
      // Prefix match: "key." finds key.issue and key.revoke.
      params.add(f.action().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
      sql.append(" AND action LIKE ?").append(params.size());
    }
    if (f.target() != null) {
      params.add(Paging.containsPattern(f.target()));
      sql.append(" AND target ILIKE ?").append(params.size());
    }
    if (f.outcome() != null) {
      params.add(f.outcome());
      sql.append(" AND outcome = ?").append(params.size());
    }
    if (f.before() != null) {
      params.add(f.before());
      sql.append(" AND id < ?").append(params.size());
    }
    sql.append(" ORDER BY id DESC LIMIT ").append(f.limit());
    Query q = em.createNativeQuery(sql.toString());
    for (int i = 0; i < params.size(); i++) {
      q.setParameter(i + 1, params.get(i));
    }
    List<Entry> entries = new ArrayList<>();
    for (Object row : q.getResultList()) {
      Object[] r = (Object[]) row;
      entries.add(
          new Entry(
              ((Number) r[0]).longValue(),
              Timestamps.format(timestamp(r[1])),
              (String) r[2],
              (String) r[3],
              (String) r[4],
              (String) r[5],
              (String) r[6]));
    }
    return entries;
  }

  private static String clip(String s) {
    if (s == null) {
      return "";
    }
    String clean = s.replace('\u0000', '\uFFFD');
    return clean.length() > MAX_TEXT ? clean.substring(0, MAX_TEXT) + "…" : clean;
  }

  /** Native queries return the driver's type for timestamptz, which differs between providers. */
  static OffsetDateTime timestamp(Object value) {
    if (value instanceof OffsetDateTime t) {
      return t;
    }
    if (value instanceof java.sql.Timestamp t) {
      return t.toInstant().atOffset(ZoneOffset.UTC);
    }
    if (value instanceof java.time.Instant i) {
      return i.atOffset(ZoneOffset.UTC);
    }
    if (value instanceof java.time.LocalDateTime l) {
      return l.atOffset(ZoneOffset.UTC);
    }
    throw new IllegalStateException("unexpected timestamp type " + value.getClass());
  }
}
