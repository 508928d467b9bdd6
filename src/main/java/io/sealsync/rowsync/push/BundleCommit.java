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
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The one bundle commit, for client pushes (rowsync.md §8.3) and server-originated writes (§20.2):
 * the source's sequence checked, the bundle opened for the triggers with constraints deferred, the
 * writes, the deferred constraints checked, the captured changes finalized into the bundle, the
 * source activated and retention applied. It runs in the caller's transaction and on its
 * connection, after the caller has taken the user's lock.
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
    SourceStore.checkSequence(c, o.userPk(), o.sourceId(), o.sourceBundleId(), atCommit);
    BundleContext.open(
        c, o.userId(), o.userPk(), o.sourceId(), o.sourceBundleId(), o.initializationId());
    try {
      writes.run(c);
      // Deferred constraints are checked here, where a violation is still the client's 400.
      try (Statement st = c.createStatement()) {
        st.execute("SET CONSTRAINTS ALL IMMEDIATE");
      }
    } catch (SQLException e) {
      if (SyncSql.isClientCaused(e)) {
        throw SyncError.PUSH_COMMIT_INVALID.exception(firstLine(e.getMessage()));
      }
      throw e;
    }
    Bundle bundle =
        BundleFinalizer.finalizeBundle(
            c,
            o.userPk(),
            o.sourceId(),
            o.sourceBundleId(),
            runtime.registry()::table,
            listener.enabled() ? listener.channel() : null);
    if (bundle != null) {
      SourceStore.activate(c, o.userPk(), o.sourceId(), o.sourceBundleId());
      retention.apply(c, o.userPk());
    }
    return bundle;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "constraint violation";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
