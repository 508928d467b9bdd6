package io.sealsync.rowsync;

import io.sealsync.platform.JsonFactory;
import io.sealsync.platform.db.HotStatement;
import jakarta.json.JsonObjectBuilder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Source sequencing and activation (rowsync.md §8.1 step 7, §8.3 steps 5 and 10). */
public final class SourceStore {
  private SourceStore() {}

  /**
   * Checks {@code sourceBundleId} against the next expected id of the source. At create, a lower id
   * is {@code history_pruned} and a higher one {@code source_sequence_out_of_order}; at commit
   * ({@code atCommit}), any difference is {@code source_sequence_changed}.
   */
  public static void checkSequence(
      Connection c, long userPk, String sourceId, long sourceBundleId, boolean atCommit)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sequenceSql(atCommit))) {
      ps.setLong(1, userPk);
      ps.setString(2, sourceId);
      try (ResultSet rs = ps.executeQuery()) {
        checkSequence(rs, sourceId, sourceBundleId, atCommit);
      }
    }
  }

  /**
   * The source's row for {@link #checkSequence(ResultSet, String, long, boolean)}, locked at
   * commit; parameters user_pk, source_id.
   */
  @HotStatement
  public static String sequenceSql(boolean atCommit) {
    return "SELECT state, max_committed_source_bundle_id, replaced_by_source_id"
        + " FROM sync.source_state WHERE user_pk = ? AND source_id = ?"
        + (atCommit ? " FOR UPDATE" : "");
  }

  /** The check of {@link #checkSequence(Connection, long, String, long, boolean)} on its row. */
  public static void checkSequence(
      ResultSet rs, String sourceId, long sourceBundleId, boolean atCommit) throws SQLException {
    long expected = 1;
    if (rs.next()) {
      if ("retired".equals(rs.getString(1))) {
        throw retired(sourceId, rs.getString(3));
      }
      expected = rs.getLong(2) + 1;
    }
    if (sourceBundleId == expected) {
      return;
    }
    if (atCommit) {
      throw SyncError.SOURCE_SEQUENCE_CHANGED.exception(
          "source_bundle_id " + sourceBundleId + " is no longer the next expected " + expected);
    }
    if (sourceBundleId < expected) {
      throw SyncError.HISTORY_PRUNED.exception(
          "source_bundle_id "
              + sourceBundleId
              + " is below the next expected "
              + expected
              + " (max committed source_bundle_id "
              + (expected - 1)
              + ")");
    }
    throw SyncError.SOURCE_SEQUENCE_OUT_OF_ORDER.exception(
        "source_bundle_id " + sourceBundleId + " is ahead of the next expected " + expected);
  }

  @HotStatement
  static final String NEXT_EXPECTED =
      "SELECT state, max_committed_source_bundle_id, replaced_by_source_id FROM sync.source_state"
          + " WHERE user_pk = ? AND source_id = ? FOR UPDATE";

  /** The next source bundle id of a source; a retired source cannot write. */
  public static long nextExpected(Connection c, long userPk, String sourceId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(NEXT_EXPECTED)) {
      ps.setLong(1, userPk);
      ps.setString(2, sourceId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return 1;
        }
        if ("retired".equals(rs.getString(1))) {
          throw retired(sourceId, rs.getString(3));
        }
        return rs.getLong(2) + 1;
      }
    }
  }

  static SyncException retired(String sourceId, String replacedBy) {
    JsonObjectBuilder extra = JsonFactory.object().add("source_id", sourceId);
    if (replacedBy != null && !replacedBy.isEmpty()) {
      extra.add("replaced_by_source_id", replacedBy);
    }
    return new SyncException(
        SyncError.SOURCE_RETIRED, "source " + sourceId + " is retired", extra.build());
  }

  /**
   * The source made active at {@code sourceBundleId}, as one statement for a bundle's final round
   * trip (bind with {@link #bindActivate}).
   */
  @HotStatement
  public static final String ACTIVATE_SQL =
      "INSERT INTO sync.source_state (user_pk, source_id, state, max_committed_source_bundle_id)"
          + " VALUES (?, ?, 'active', ?) ON CONFLICT (user_pk, source_id) DO UPDATE"
          + " SET state = 'active', max_committed_source_bundle_id ="
          + " EXCLUDED.max_committed_source_bundle_id, replaced_by_source_id = '',"
          + " retirement_reason = ''";

  public static int bindActivate(
      PreparedStatement ps, int p, long userPk, String sourceId, long sourceBundleId)
      throws SQLException {
    ps.setLong(p++, userPk);
    ps.setString(p++, sourceId);
    ps.setLong(p++, sourceBundleId);
    return p;
  }

  @HotStatement
  static final String REPLACE =
      "INSERT INTO sync.source_state (user_pk, source_id, state, max_committed_source_bundle_id,"
          + " replaced_by_source_id, retirement_reason) VALUES (?, ?, 'retired', 0, ?, ?)"
          + " ON CONFLICT (user_pk, source_id) DO UPDATE SET state = 'retired',"
          + " replaced_by_source_id = EXCLUDED.replaced_by_source_id,"
          + " retirement_reason = EXCLUDED.retirement_reason";

  /** Source replacement inside snapshot create (rowsync.md §14.4), atomic with the snapshot. */
  public static void replace(Connection c, long userPk, SourceReplacement r) throws SQLException {
    String[] previous = state(c, userPk, r.previousSourceId());
    String[] next = state(c, userPk, r.newSourceId());
    if (previous != null && "retired".equals(previous[0])) {
      if (!r.newSourceId().equals(previous[1])) {
        throw retired(r.previousSourceId(), previous[1]);
      }
      if (next == null) {
        insertReserved(c, userPk, r.newSourceId());
      } else if (!"reserved".equals(next[0]) && !"active".equals(next[0])) {
        throw SyncError.SOURCE_REPLACEMENT_INVALID.exception(
            "source " + r.newSourceId() + " cannot replace " + r.previousSourceId());
      }
      return;
    }
    if (next != null) {
      throw SyncError.SOURCE_REPLACEMENT_INVALID.exception(
          "source " + r.newSourceId() + " already exists");
    }
    insertReserved(c, userPk, r.newSourceId());
    try (PreparedStatement ps = c.prepareStatement(REPLACE)) {
      ps.setLong(1, userPk);
      ps.setString(2, r.previousSourceId());
      ps.setString(3, r.newSourceId());
      ps.setString(4, r.reason());
      ps.executeUpdate();
    }
  }

  @HotStatement
  static final String STATE =
      "SELECT state, replaced_by_source_id FROM sync.source_state WHERE user_pk = ? AND source_id = ?"
          + " FOR UPDATE";

  /** [state, replaced_by_source_id] of a locked source row, or null. */
  private static String[] state(Connection c, long userPk, String sourceId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(STATE)) {
      ps.setLong(1, userPk);
      ps.setString(2, sourceId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : null;
      }
    }
  }

  @HotStatement
  static final String INSERT_RESERVED =
      "INSERT INTO sync.source_state (user_pk, source_id, state) VALUES (?, ?, 'reserved')";

  private static void insertReserved(Connection c, long userPk, String sourceId)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT_RESERVED)) {
      ps.setLong(1, userPk);
      ps.setString(2, sourceId);
      ps.executeUpdate();
    }
  }
}
