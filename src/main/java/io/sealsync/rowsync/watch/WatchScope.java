package io.sealsync.rowsync.watch;

import io.sealsync.platform.db.Database;
import io.sealsync.rowsync.ScopeStore;
import io.sealsync.rowsync.SyncActor;
import io.sealsync.rowsync.SyncError;
import io.sealsync.rowsync.SyncFailures;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The subscribe-time check of watch: an initialized scope, and its latest bundle (§15.1, §15.2).
 */
@ApplicationScoped
public class WatchScope {
  @Inject Database db;

  /**
   * @return {user_pk, latest bundle_seq}
   */
  @Transactional
  public long[] check(SyncActor actor) {
    try (Connection c = db.connection()) {
      long userPk = ScopeStore.requireInitializedUser(c, actor.userId());
      return new long[] {userPk, ScopeStore.latestBundleSeq(c, userPk)};
    } catch (SQLException e) {
      throw SyncFailures.server(SyncError.BUNDLE_CHANGE_WATCH_FAILED, e);
    }
  }
}
