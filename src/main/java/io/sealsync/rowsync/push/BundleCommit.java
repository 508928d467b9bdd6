package io.sealsync.rowsync.push;

import io.sealsync.rowsync.SourceStore;
import io.sealsync.rowsync.SyncError;
import io.sealsync.rowsync.SyncSql;
import io.sealsync.rowsync.codec.Bundle;
import io.sealsync.rowsync.schema.RowSyncRuntime;
import io.sealsync.rowsync.watch.BundleChangeListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The one bundle commit, for client pushes (rowsync.md §8.3) and server-originated writes (§20.2):
 * the bundle opened ({@code BundleContext}: constraints deferred, the source's sequence checked,
 * the GUCs for the triggers), the writes, then the finalize ({@code BundleFinalizer}: the deferred
 * constraints checked, the captured changes turned into the bundle, the source activated and
 * retention applied). Three round trips besides the writes. It runs in the caller's transaction and
 * on its connection, after the caller has taken the user's lock.
 */
@ApplicationScoped
public class BundleCommit {
  @Inject RowSyncRuntime runtime;
  @Inject BundleChangeListener listener;
  @Inject Retention retention;

  /** Who the bundle is of: the GUCs the triggers read (§18.4). */
  public record Opening(
      String userId, long userPk, String sourceId, long sourceBundleId, String initializationId) {}

  /** The business writes of the bundle, on the bundle's connection. */
  @FunctionalInterface
  public interface Writes {
    void run(Connection connection) throws SQLException;
  }

  /**
   * Commits {@code writes} as one bundle, or returns null when they changed no registered row (then
   * the source is not activated; the caller decides whether that is an error and rolls back).
   *
   * @param atCommit whether a different next source bundle id is {@code source_sequence_changed} (a
   *     push session checked it at create) rather than the create-time codes
   */
  public Bundle commit(Connection c, Opening o, boolean atCommit, Writes writes)
      throws SQLException {
    return commit(c, o, atCommit, writes, BundleFinalizer.Tail.NONE);
  }

  /** The same, with {@code after} in the bundle's final round trip, last. */
  Bundle commit(
      Connection c, Opening o, boolean atCommit, Writes writes, BundleFinalizer.Tail after)
      throws SQLException {
    long bundleSeq = BundleContext.open(c, o, atCommit);
    try {
      writes.run(c);
      // The deferred constraints are checked first thing in the finalize, where a violation is
      // still the client's 400.
      return BundleFinalizer.finalizeBundle(
          c,
          o.userPk(),
          o.sourceId(),
          o.sourceBundleId(),
          bundleSeq,
          runtime.registry()::table,
          listener.enabled() ? listener.channel() : null,
          new BundleFinalizer.Tail() {
            @Override
            public String sql() {
              return "; " + SourceStore.ACTIVATE_SQL + "; " + Retention.PRUNE_SQL + after.sql();
            }

            @Override
            public int bind(PreparedStatement ps, int p) throws SQLException {
              p = SourceStore.bindActivate(ps, p, o.userPk(), o.sourceId(), o.sourceBundleId());
              return after.bind(ps, retention.bindPrune(ps, p, o.userPk()));
            }
          });
    } catch (SQLException e) {
      if (SyncSql.isClientCaused(e)) {
        throw SyncError.PUSH_COMMIT_INVALID.exception(firstLine(e.getMessage()));
      }
      throw e;
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "constraint violation";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
