package io.sealsync.rowsync.read;

import io.sealsync.platform.db.Database;
import io.sealsync.platform.db.HotStatement;
import io.sealsync.rowsync.ScopeStore;
import io.sealsync.rowsync.SyncActor;
import io.sealsync.rowsync.SyncError;
import io.sealsync.rowsync.SyncFailures;
import io.sealsync.rowsync.codec.Bundle;
import io.sealsync.rowsync.codec.BundleRow;
import io.sealsync.rowsync.codec.StagedRow;
import io.sealsync.rowsync.schema.RegisteredTable;
import io.sealsync.rowsync.schema.RegisteredTables;
import io.sealsync.rowsync.schema.RowSyncRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.OptionalLong;

/**
 * Accepted-push recovery: one committed bundle's rows, paged by logical ordinal (rowsync.md §9).
 */
@ApplicationScoped
public class CommittedBundles {
  public static final int DEFAULT_ROWS = 1000;
  public static final int MAX_ROWS = 5000;

  @Inject Database db;
  @Inject RowSyncRuntime runtime;

  @HotStatement
  static final String ROW_PAGE =
      "SELECT row_ordinal, table_id, key_bytes, op_code, payload_wire::text FROM sync.bundle_rows"
          + " WHERE user_pk = ? AND bundle_seq = ? AND row_ordinal > ? ORDER BY row_ordinal LIMIT ?";

  /**
   * @param after the last logical ordinal the client has, or −1
   */
  @Transactional
  public String rows(SyncActor actor, long bundleSeq, long after, int maxRows) {
    try (Connection c = db.connection()) {
      ScopeStore.repeatableRead(c, true);
      OptionalLong userPk = ScopeStore.findUser(c, actor.userId());
      if (userPk.isEmpty()) {
        throw SyncError.COMMITTED_BUNDLE_NOT_FOUND.exception("committed bundle not found");
      }
      Bundle bundle = bundle(c, userPk.getAsLong(), bundleSeq);
      StringBuilder sb = new StringBuilder(4096).append('{');
      bundle.writeMetadata(sb);
      sb.append(",\"rows\":[");
      int returned = 0;
      boolean more = false;
      try (PreparedStatement ps = c.prepareStatement(ROW_PAGE)) {
        ps.setLong(1, userPk.getAsLong());
        ps.setLong(2, bundleSeq);
        // Storage ordinals are 1-based, logical ones 0-based.
        ps.setLong(3, after + 1);
        ps.setInt(4, maxRows + 1);
        RegisteredTables tables = runtime.registry();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (returned == maxRows) {
              more = true;
              break;
            }
            RegisteredTable table = tables.table(rs.getInt(2));
            BundleRow row =
                new BundleRow(
                    table,
                    BundleRow.keyText(table, rs.getBytes(3)),
                    StagedRow.Op.ofCode(rs.getShort(4)),
                    bundleSeq,
                    rs.getString(5));
            if (returned > 0) {
              sb.append(',');
            }
            row.writeJson(sb);
            returned++;
          }
        }
      }
      long next = returned == 0 ? Math.max(after, 0) : after + returned;
      sb.append("],\"next_row_ordinal\":")
          .append(next)
          .append(",\"has_more\":")
          .append(more)
          .append('}');
      return sb.toString();
    } catch (SQLException e) {
      throw SyncFailures.server(SyncError.COMMITTED_BUNDLE_ROWS_FAILED, e);
    }
  }

  @HotStatement
  static final String BUNDLE_AND_FLOOR =
      "SELECT u.retained_bundle_floor, b.source_id, b.source_bundle_id, b.row_count, b.byte_count,"
          + " b.bundle_hash FROM sync.user_state u LEFT JOIN sync.bundle_log b"
          + " ON b.user_pk = u.user_pk AND b.bundle_seq = ? WHERE u.user_pk = ?";

  private static Bundle bundle(Connection c, long userPk, long bundleSeq) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(BUNDLE_AND_FLOOR)) {
      ps.setLong(1, bundleSeq);
      ps.setLong(2, userPk);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (bundleSeq <= rs.getLong(1)) {
          throw SyncError.HISTORY_PRUNED.exception(
              "bundle " + bundleSeq + " is at or below the retained floor " + rs.getLong(1));
        }
        if (rs.getString(2) == null) {
          throw SyncError.COMMITTED_BUNDLE_NOT_FOUND.exception("committed bundle not found");
        }
        return new Bundle(
            bundleSeq,
            rs.getString(2),
            rs.getLong(3),
            rs.getLong(4),
            rs.getLong(5),
            HexFormat.of().formatHex(rs.getBytes(6)),
            java.util.List.of());
      }
    }
  }
}
