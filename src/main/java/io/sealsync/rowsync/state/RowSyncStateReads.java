package io.sealsync.rowsync.state;

import io.sealsync.platform.db.HotStatement;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

/**
 * A user's row-sync state read as whole rows, for views outside the protocol's hot paths (the
 * operator console). The protocol's own reads and writes of these tables stay SQL: they share round
 * trips with the user's lock and must see the rows it locks.
 */
@ApplicationScoped
public class RowSyncStateReads {
  @PersistenceContext(unitName = "sealsync")
  EntityManager em;

  @HotStatement static final String USER = "SELECT u FROM UserState u WHERE u.userId = :id";

  public Optional<UserState> user(String userId) {
    return em.createQuery(USER, UserState.class)
        .setParameter("id", userId)
        .getResultStream()
        .findFirst();
  }

  @HotStatement
  static final String SOURCES =
      "SELECT s FROM SourceState s WHERE s.userPk = :user ORDER BY s.state, s.sourceId";

  /** Active sources first, then reserved and retired ones, each by id. */
  public List<SourceState> sources(long userPk, int limit) {
    return em.createQuery(SOURCES, SourceState.class)
        .setParameter("user", userPk)
        .setMaxResults(limit)
        .getResultList();
  }

  @HotStatement
  static final String OPEN_PUSH_SESSIONS =
      "SELECT p FROM PushSession p WHERE p.userPk = :user"
          + " AND p.expiresAt > CURRENT_TIMESTAMP ORDER BY p.expiresAt";

  /** Push sessions not yet expired, the soonest to expire first. */
  public List<PushSession> openPushSessions(long userPk, int limit) {
    return em.createQuery(OPEN_PUSH_SESSIONS, PushSession.class)
        .setParameter("user", userPk)
        .setMaxResults(limit)
        .getResultList();
  }

  @HotStatement
  static final String OPEN_SNAPSHOT_SESSIONS =
      "SELECT s FROM SnapshotSession s WHERE s.userPk = :user"
          + " AND s.expiresAt > CURRENT_TIMESTAMP ORDER BY s.expiresAt";

  /** Snapshot sessions not yet expired, the soonest to expire first. */
  public List<SnapshotSession> openSnapshotSessions(long userPk, int limit) {
    return em.createQuery(OPEN_SNAPSHOT_SESSIONS, SnapshotSession.class)
        .setParameter("user", userPk)
        .setMaxResults(limit)
        .getResultList();
  }
}
