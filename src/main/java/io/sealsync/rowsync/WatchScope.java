package io.sealsync.rowsync;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;

/**
 * The subscribe-time check of watch: an initialized scope, and its latest bundle (§15.1, §15.2).
 */
@ApplicationScoped
public class WatchScope {
  @Inject SyncDatabase db;

  /**
   * @return {user_pk, latest bundle_seq}
   */
  @Transactional
  public long[] check(SyncActor actor) {
    try (Connection c = db.connection()) {
      OptionalLong user = ScopeStore.findUser(c, actor.userId());
      if (user.isEmpty()) {
        throw SyncError.SCOPE_UNINITIALIZED.exception("scope is not initialized; connect first");
      }
      ScopeStore.requireInitialized(c, user.getAsLong());
      try (PreparedStatement ps =
          c.prepareStatement("SELECT next_bundle_seq - 1 FROM sync.user_state WHERE user_pk = ?")) {
        ps.setLong(1, user.getAsLong());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return new long[] {user.getAsLong(), rs.getLong(1)};
        }
      }
    } catch (SQLException e) {
      throw SyncFailures.server(SyncError.BUNDLE_CHANGE_WATCH_FAILED, e);
    }
  }
}
