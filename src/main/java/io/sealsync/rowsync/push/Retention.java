package io.sealsync.rowsync.push;

import io.sealsync.rowsync.RowSyncSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Bounded history per user, advanced inside every bundle commit (rowsync.md §13): the floor moves
 * toward latest − retained-bundles-per-user by at most one prune batch; bundle rows go with their
 * bundles by cascade, row and source state stay.
 */
@ApplicationScoped
public class Retention {
  @Inject RowSyncSettings settings;

  /** Runs inside the commit of a non-empty bundle, on its connection. */
  void apply(Connection c, long userPk) throws SQLException {
    long floor;
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE sync.user_state SET retained_bundle_floor ="
                + " LEAST(next_bundle_seq - 1 - ?, retained_bundle_floor + ?)"
                + " WHERE user_pk = ? AND next_bundle_seq - 1 - ? > retained_bundle_floor"
                + " RETURNING retained_bundle_floor")) {
      ps.setLong(1, settings.retainedBundlesPerUser());
      ps.setLong(2, Math.max(1, settings.retentionPruneBatchSize()));
      ps.setLong(3, userPk);
      ps.setLong(4, settings.retainedBundlesPerUser());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return;
        }
        floor = rs.getLong(1);
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM sync.bundle_log WHERE user_pk = ? AND bundle_seq <= ?")) {
      ps.setLong(1, userPk);
      ps.setLong(2, floor);
      ps.executeUpdate();
    }
  }
}
