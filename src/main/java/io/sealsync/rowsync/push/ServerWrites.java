package io.sealsync.rowsync.push;

import io.sealsync.platform.db.Database;
import io.sealsync.rowsync.ScopeStore;
import io.sealsync.rowsync.SourceStore;
import io.sealsync.rowsync.SyncError;
import io.sealsync.rowsync.SyncFailures;
import io.sealsync.rowsync.SyncSql;
import io.sealsync.rowsync.codec.Bundle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Writes that originate on the server (rowsync.md §20). The triggers reject every write to a
 * registered table outside a bundle, so code deployed with the server writes them here; the changes
 * become an ordinary bundle that every device pulls.
 */
@ApplicationScoped
public class ServerWrites {
  @Inject Database db;
  @Inject BundleCommit bundleCommit;

  /** The business writes of one bundle, on the bundle's connection and transaction. */
  @FunctionalInterface
  public interface Work {
    void run(Connection connection) throws SQLException;
  }

  /** A scope write's outcome: the bundle, and whether the write initialized the scope. */
  public record ScopeWrite(Bundle bundle, boolean scopeInitialized) {}

  /**
   * Runs {@code work} as the next bundle of writer {@code writerId} in the scope of {@code userId}
   * (§20.2). An uninitialized scope is initialized by the write; a write that changes nothing is an
   * error, and then nothing at all is kept. Use a writer id of your own, e.g. {@code admin:crm}.
   */
  @Transactional
  public ScopeWrite execWrite(String userId, String writerId, Work work) {
    require(userId, writerId, work);
    try (Connection c = db.connection()) {
      ScopeStore.Scope scope = ScopeStore.lockUserAndScope(c, userId);
      long userPk = scope.userPk();
      boolean initialized = false;
      if (scope.state() == ScopeStore.INITIALIZING) {
        throw SyncError.SCOPE_INITIALIZING.exception("scope is being initialized by a client");
      }
      if (scope.state() == ScopeStore.UNINITIALIZED) {
        ScopeStore.markInitialized(c, userPk, writerId);
        initialized = true;
      }
      long next = SourceStore.nextExpected(c, userPk, writerId);
      Bundle bundle =
          bundleCommit.commit(
              c, new BundleCommit.Opening(userId, userPk, writerId, next, null), false, work::run);
      if (bundle == null) {
        throw SyncError.NO_CAPTURED_CHANGES.exception("the write changed no registered row");
      }
      return new ScopeWrite(bundle, initialized);
    } catch (SQLException e) {
      throw clientOrServer(e);
    }
  }

  private static void require(String userId, String sourceId, Work work) {
    if (userId == null
        || userId.isBlank()
        || sourceId == null
        || sourceId.isBlank()
        || work == null) {
      throw new IllegalArgumentException("user id, source (writer) id and work are required");
    }
  }

  private static RuntimeException clientOrServer(SQLException e) {
    if (SyncSql.isClientCaused(e)) {
      return SyncError.PUSH_COMMIT_INVALID.exception(e.getMessage());
    }
    return SyncFailures.server(SyncError.SERVER_WRITE_FAILED, e);
  }
}
