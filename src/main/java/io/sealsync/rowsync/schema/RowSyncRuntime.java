package io.sealsync.rowsync.schema;

import io.sealsync.rowsync.RowSyncSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bootstraps row sync when the application starts: the {@code sync} schema, the registered tables
 * and their triggers. A registered table that breaks a rule stops the deployment with a message
 * naming the table and the rule.
 */
@Singleton
@Startup
@DependsOn("DatabaseMigrations")
// Read-only after start: no container write lock, and the accessors join the caller's transaction
// rather than suspending it (a suspend and resume cost more than the rest of the call).
@Lock(LockType.READ)
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class RowSyncRuntime {
  private static final Logger LOG = Logger.getLogger(RowSyncRuntime.class.getName());

  @Resource(lookup = "java:comp/env/jdbc/sealsync")
  DataSource dataSource;

  @Inject
  @ConfigProperty(name = "sealsync.rowsync.tables")
  Optional<String> tablesConfig;

  // Injected so that an invalid setting stops the deployment at start, not at first use.
  @Inject RowSyncSettings settings;

  private volatile RegisteredTables registry = RegisteredTables.NONE;

  @PostConstruct
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  void bootstrap() {
    LOG.info("Row sync: " + settings);
    List<TableSpec> specs = TableSpec.parseList(tablesConfig.orElse(""));
    if (specs.isEmpty()) {
      LOG.info(
          "Row sync: no registered tables (sealsync.rowsync.tables is empty); /sync serves an empty set");
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      List<RegisteredTable> registered = new SyncSchemaBootstrap(specs).run(c);
      registry = new RegisteredTables(registered);
      LOG.info(
          () ->
              "Row sync: registered tables "
                  + registered.stream()
                      .map(
                          t ->
                              t.tableId()
                                  + "="
                                  + t.spec().qualifiedName()
                                  + "("
                                  + t.keyColumn()
                                  + ")")
                      .collect(Collectors.joining(", ")));
    } catch (UnsupportedSchemaException e) {
      LOG.severe("Row sync cannot start: " + e.getMessage());
      throw e;
    } catch (SQLException e) {
      throw new IllegalStateException("Row sync bootstrap failed: " + e.getMessage(), e);
    }
  }

  /** The registered tables; hot paths take it once per request and look up rows in it. */
  public RegisteredTables registry() {
    return registry;
  }

  public List<RegisteredTable> tables() {
    return registry.all();
  }
}
