package io.sealsync.rowsync.push;

import io.sealsync.platform.JsonFactory;
import io.sealsync.platform.db.Database;
import io.sealsync.rowsync.ScopeStore;
import io.sealsync.rowsync.SyncActor;
import io.sealsync.rowsync.SyncError;
import io.sealsync.rowsync.SyncFailures;
import io.sealsync.rowsync.codec.GoTime;
import io.sealsync.rowsync.schema.InitializationLease;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * {@code POST /sync/connect}: the scope's lifecycle and its initialization lease (rowsync.md §6).
 */
@ApplicationScoped
public class ConnectService {
  @Inject Database db;
  @Inject InitializationLease lease;

  @Transactional
  public JsonObject connect(SyncActor actor, boolean hasLocalPendingRows) {
    try (Connection c = db.connection()) {
      ScopeStore.Scope scope = ScopeStore.lockUserAndScope(c, actor.userId());
      long userPk = scope.userPk();
      JsonObjectBuilder out = JsonFactory.object();
      switch (scope.state()) {
        case ScopeStore.INITIALIZED -> out.add("resolution", "remote_authoritative");
        case ScopeStore.UNINITIALIZED -> {
          if (hasLocalPendingRows) {
            ScopeStore.Scope s =
                ScopeStore.startInitializing(c, userPk, actor.sourceId(), lease.seconds());
            initializeLocal(out, s);
          } else {
            ScopeStore.markInitialized(c, userPk, actor.sourceId());
            out.add("resolution", "initialize_empty");
          }
        }
        default -> {
          if (actor.sourceId().equals(scope.initializerSourceId())) {
            if (hasLocalPendingRows) {
              initializeLocal(out, ScopeStore.refreshLease(c, userPk, lease.seconds()));
            } else {
              ScopeStore.markInitialized(c, userPk, actor.sourceId());
              out.add("resolution", "initialize_empty");
            }
          } else {
            long seconds = Duration.between(scope.now(), scope.leaseExpiresAt()).getSeconds();
            out.add("resolution", "retry_later")
                .add("lease_expires_at", GoTime.format(scope.leaseExpiresAt()))
                .add("retry_after_seconds", Math.max(1, seconds));
          }
        }
      }
      return out.build();
    } catch (SQLException e) {
      throw SyncFailures.server(SyncError.CONNECT_FAILED, e);
    }
  }

  private static void initializeLocal(JsonObjectBuilder out, ScopeStore.Scope s) {
    out.add("resolution", "initialize_local")
        .add("initialization_id", s.initializationId())
        .add("lease_expires_at", GoTime.format(s.leaseExpiresAt()));
  }
}
