package io.sealsync.rowsync.push;

import io.sealsync.platform.db.HotStatement;
import io.sealsync.rowsync.RowSyncSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Bounded history per user, advanced inside every bundle commit (rowsync.md §13): the floor moves
 * toward latest − retained-bundles-per-user by at most one prune batch; bundle rows go with their
 * bundles by cascade, row and source state stay.
 */
@ApplicationScoped
public class Retention {
  @Inject RowSyncSettings settings;

  /**
   * The prune as one statement for a bundle's final round trip, after the statement that advanced
   * the user's bundle number: the floor moves, and the bundles at or below it go.
   */
  @HotStatement
  static final String PRUNE_SQL =
      "WITH f AS (UPDATE sync.user_state SET retained_bundle_floor ="
          + " LEAST(next_bundle_seq - 1 - ?, retained_bundle_floor + ?)"
          + " WHERE user_pk = ? AND next_bundle_seq - 1 - ? > retained_bundle_floor"
          + " RETURNING retained_bundle_floor)"
          + " DELETE FROM sync.bundle_log b USING f"
          + " WHERE b.user_pk = ? AND b.bundle_seq <= f.retained_bundle_floor";

  /** Binds {@link #PRUNE_SQL} for {@code userPk} from index {@code p}; returns the next index. */
  int bindPrune(PreparedStatement ps, int p, long userPk) throws SQLException {
    ps.setLong(p++, settings.retainedBundlesPerUser());
    ps.setLong(p++, settings.retentionPruneBatchSize());
    ps.setLong(p++, userPk);
    ps.setLong(p++, settings.retainedBundlesPerUser());
    ps.setLong(p++, userPk);
    return p;
  }
}
