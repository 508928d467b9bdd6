package io.sealsync.rowsync.push;

import io.sealsync.platform.db.HotStatement;
import io.sealsync.rowsync.codec.BundleRow;
import io.sealsync.rowsync.codec.StagedRow;
import io.sealsync.rowsync.schema.RegisteredTable;
import io.sealsync.rowsync.schema.RegisteredTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A push session's staged rows applied to the business tables in the client's order, page by page,
 * each row checked against its row state first (rowsync.md §8.5, §8.6).
 */
final class StagedApply {
  private static final int PAGE = 1000;

  private StagedApply() {}

  /** A staged row with the state of its target row, as one page query reads them. */
  private record Staged(
      long ordinal,
      int tableId,
      byte[] keyBytes,
      StagedRow.Op op,
      long baseVersion,
      String payloadApply,
      Long serverVersion,
      boolean deleted) {}

  static void apply(Connection c, RegisteredTables tables, UUID pushId, long userPk, String userId)
      throws SQLException {
    long after = -1;
    while (true) {
      List<Staged> page = page(c, pushId, userPk, after);
      if (page.isEmpty()) {
        return;
      }
      RowApplier.Batch batch = new RowApplier.Batch(c, userId);
      for (Staged row : page) {
        RegisteredTable table = tables.table(row.tableId());
        String keyText = BundleRow.keyText(table, row.keyBytes());
        String conflict =
            Conflicts.detect(row.op(), row.baseVersion(), row.serverVersion(), row.deleted());
        if (conflict != null) {
          throw Conflicts.exception(
              c,
              table,
              keyText,
              row.op(),
              row.baseVersion(),
              row.serverVersion(),
              row.deleted(),
              conflict,
              userId);
        }
        batch.add(table, keyText, row.op(), row.payloadApply());
        after = row.ordinal();
      }
      batch.flush();
      if (page.size() < PAGE) {
        return;
      }
    }
  }

  private static List<Staged> page(Connection c, UUID pushId, long userPk, long after)
      throws SQLException {
    List<Staged> page = new ArrayList<>(PAGE);
    try (PreparedStatement ps = c.prepareStatement(PAGE_SQL)) {
      ps.setLong(1, userPk);
      ps.setString(2, pushId.toString());
      ps.setLong(3, after);
      ps.setInt(4, PAGE);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long stateSeq = rs.getLong(7);
          Long serverVersion = rs.wasNull() ? null : stateSeq;
          page.add(
              new Staged(
                  rs.getLong(1),
                  rs.getInt(2),
                  rs.getBytes(3),
                  StagedRow.Op.ofCode(rs.getShort(4)),
                  rs.getLong(5),
                  rs.getString(6),
                  serverVersion,
                  rs.getBoolean(8)));
        }
      }
    }
    return page;
  }

  @HotStatement
  static final String PAGE_SQL =
      "SELECT r.row_ordinal, r.table_id, r.key_bytes, r.op_code, r.base_bundle_seq,"
          + " r.payload_apply::text, rs.bundle_seq, rs.deleted FROM sync.push_session_rows r"
          // One primary-key probe per staged row. As a plain join, statistics taken while
          // the user was small make the planner scan all of the user's row states once per
          // staged row: commits slowed with every bundle the user had pushed.
          + " LEFT JOIN LATERAL (SELECT s.bundle_seq, s.deleted FROM sync.row_state s"
          + " WHERE s.user_pk = ? AND s.table_id = r.table_id AND s.key_bytes = r.key_bytes"
          + " LIMIT 1) rs ON true"
          + " WHERE r.push_id = ?::uuid AND r.row_ordinal > ? ORDER BY r.row_ordinal"
          + " LIMIT ?";
}
