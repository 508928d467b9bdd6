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
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code GET /sync/pull} (rowsync.md §12): complete bundles after a cursor, up to a frozen stable
 * target, from one REPEATABLE READ snapshot of the database.
 */
@ApplicationScoped
public class PullService {
  public static final int DEFAULT_BUNDLES = 1000;
  public static final int MAX_BUNDLES = 5000;

  @Inject Database db;
  @Inject RowSyncRuntime runtime;
  @Inject Event<RowsPulled> pulled;

  @HotStatement
  static final String USER_CURSOR =
      "SELECT user_pk, next_bundle_seq, retained_bundle_floor FROM sync.user_state WHERE user_id = ?";

  @HotStatement
  static final String BUNDLE_PAGE =
      "SELECT bundle_seq, source_id, source_bundle_id, row_count, byte_count, bundle_hash"
          + " FROM sync.bundle_log WHERE user_pk = ? AND bundle_seq > ? AND bundle_seq > ?"
          + " AND bundle_seq <= ? ORDER BY bundle_seq LIMIT ?";

  @Transactional
  public String pull(SyncActor actor, long after, int maxBundles, long target) {
    try (Connection c = db.connection()) {
      ScopeStore.repeatableRead(c, true);
      long userPk;
      long nextBundleSeq;
      long floor;
      try (PreparedStatement ps = c.prepareStatement(USER_CURSOR)) {
        ps.setString(1, actor.userId());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return "{\"stable_bundle_seq\":0,\"bundles\":[],\"has_more\":false}";
          }
          userPk = rs.getLong(1);
          nextBundleSeq = rs.getLong(2);
          floor = rs.getLong(3);
        }
      }
      ScopeStore.requireInitialized(c, userPk);
      long stable = target > 0 ? target : nextBundleSeq - 1;
      // The resolved stable point counts too (§12.1 step 4): a client sent an empty page below a
      // target it cannot reach would stop instead of rebuilding from a snapshot.
      if (isPruned(after, floor) || isPruned(target, floor) || isPruned(stable, floor)) {
        throw SyncError.HISTORY_PRUNED.exception(
            "bundles up to " + floor + " are outside retained history; rebuild from a snapshot");
      }
      StringBuilder sb = new StringBuilder(8192).append("{\"stable_bundle_seq\":").append(stable);
      sb.append(",\"bundles\":[");
      boolean more = false;
      if (after < stable) {
        List<Bundle> bundles = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(BUNDLE_PAGE)) {
          ps.setLong(1, userPk);
          ps.setLong(2, after);
          ps.setLong(3, floor);
          ps.setLong(4, stable);
          ps.setInt(5, maxBundles + 1);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              if (bundles.size() == maxBundles) {
                more = true;
                break;
              }
              bundles.add(
                  new Bundle(
                      rs.getLong(1),
                      rs.getString(2),
                      rs.getLong(3),
                      rs.getLong(4),
                      rs.getLong(5),
                      HexFormat.of().formatHex(rs.getBytes(6)),
                      List.of()));
            }
          }
        }
        writeBundles(c, userPk, bundles, sb);
        pulled.fire(new RowsPulled(bundles.stream().mapToLong(Bundle::rowCount).sum()));
      }
      return sb.append("],\"has_more\":").append(more).append('}').toString();
    } catch (SQLException e) {
      throw SyncFailures.server(SyncError.PULL_FAILED, e);
    }
  }

  private static boolean isPruned(long bundleSeq, long floor) {
    return bundleSeq > 0 && bundleSeq <= floor;
  }

  @HotStatement
  static final String PAGE_ROWS =
      "SELECT bundle_seq, table_id, key_bytes, op_code, payload_wire::text FROM sync.bundle_rows"
          + " WHERE user_pk = ? AND bundle_seq >= ? AND bundle_seq <= ? ORDER BY bundle_seq, row_ordinal";

  /** All rows of the page's bundles in one ordered read, written bundle by bundle. */
  private void writeBundles(Connection c, long userPk, List<Bundle> bundles, StringBuilder sb)
      throws SQLException {
    if (bundles.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(PAGE_ROWS)) {
      ps.setLong(1, userPk);
      ps.setLong(2, bundles.get(0).bundleSeq());
      ps.setLong(3, bundles.get(bundles.size() - 1).bundleSeq());
      ps.setFetchSize(1000);
      RegisteredTables tables = runtime.registry();
      try (ResultSet rs = ps.executeQuery()) {
        boolean hasRow = rs.next();
        for (int i = 0; i < bundles.size(); i++) {
          Bundle b = bundles.get(i);
          if (i > 0) {
            sb.append(',');
          }
          sb.append('{');
          b.writeMetadata(sb);
          sb.append(",\"rows\":[");
          boolean first = true;
          while (hasRow && rs.getLong(1) <= b.bundleSeq()) {
            if (rs.getLong(1) == b.bundleSeq()) {
              RegisteredTable table = tables.table(rs.getInt(2));
              if (!first) {
                sb.append(',');
              }
              new BundleRow(
                      table,
                      BundleRow.keyText(table, rs.getBytes(3)),
                      StagedRow.Op.ofCode(rs.getShort(4)),
                      b.bundleSeq(),
                      rs.getString(5))
                  .writeJson(sb);
              first = false;
            }
            hasRow = rs.next();
          }
          sb.append("]}");
        }
      }
    }
  }
}
