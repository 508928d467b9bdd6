package io.sealsync.rowsync.push;

import io.sealsync.platform.db.Database;
import io.sealsync.platform.db.HotStatement;
import io.sealsync.rowsync.SourceStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Opens a bundle (rowsync.md §18.4): constraints deferred to the end of the bundle's writes, the
 * source's sequence checked, the user's next bundle number read, and the transaction-local GUCs the
 * triggers read set, in one round trip.
 */
final class BundleContext {
  private static final String[] NAMES = {
    "oversync.bundle_user_id",
    "oversync.bundle_user_pk",
    "oversync.bundle_source_id",
    "oversync.bundle_source_bundle_id",
    "oversync.bundle_initialization_id"
  };

  @HotStatement
  static final String READ_GUCS =
      "SELECT coalesce(current_setting(?, true), ''), coalesce(current_setting(?, true), ''),"
          + " coalesce(current_setting(?, true), ''), coalesce(current_setting(?, true), ''),"
          + " coalesce(current_setting(?, true), '')";

  @HotStatement
  static final String SET_GUCS =
      "SELECT set_config(?, ?, true), set_config(?, ?, true), set_config(?, ?, true),"
          + " set_config(?, ?, true), set_config(?, ?, true)";

  private BundleContext() {}

  /**
   * @param atCommit as for {@link SourceStore#checkSequence(ResultSet, String, long, boolean)}
   * @return the user's next bundle number; stable until commit, since the caller holds the user's
   *     lock
   */
  static long open(Connection c, BundleCommit.Opening o, boolean atCommit) throws SQLException {
    String[] values = {
      o.userId(),
      Long.toString(o.userPk()),
      o.sourceId(),
      Long.toString(o.sourceBundleId()),
      o.initializationId() == null ? "" : o.initializationId()
    };
    // The GUCs are read by the statement before the one that sets them.
    try (PreparedStatement ps =
        c.prepareStatement(
            "SET CONSTRAINTS ALL DEFERRED; "
                + SourceStore.sequenceSql(atCommit)
                + "; "
                + BundleFinalizer.NEXT_BUNDLE_SEQ
                + "; "
                + READ_GUCS
                + "; "
                + SET_GUCS)) {
      int p = 1;
      ps.setLong(p++, o.userPk());
      ps.setString(p++, o.sourceId());
      ps.setLong(p++, o.userPk());
      for (String name : NAMES) {
        ps.setString(p++, name);
      }
      for (int i = 0; i < NAMES.length; i++) {
        ps.setString(p++, NAMES[i]);
        ps.setString(p++, values[i]);
      }
      ps.execute();
      next(ps);
      try (ResultSet rs = ps.getResultSet()) {
        SourceStore.checkSequence(rs, o.sourceId(), o.sourceBundleId(), atCommit);
      }
      long nextBundleSeq;
      next(ps);
      try (ResultSet rs = ps.getResultSet()) {
        rs.next();
        nextBundleSeq = rs.getLong(1);
      }
      next(ps);
      try (ResultSet rs = ps.getResultSet()) {
        rs.next();
        for (int i = 0; i < NAMES.length; i++) {
          String current = rs.getString(i + 1);
          if (!current.isEmpty() && !current.equals(values[i])) {
            throw new IllegalStateException(NAMES[i] + " already holds another bundle's value");
          }
        }
      }
      Database.drain(ps);
      return nextBundleSeq;
    }
  }

  private static void next(PreparedStatement ps) throws SQLException {
    if (!ps.getMoreResults()) {
      throw new SQLException("the bundle's opening statements returned fewer results");
    }
  }
}
