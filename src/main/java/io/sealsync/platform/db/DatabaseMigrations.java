package io.sealsync.platform.db;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the schema up to date before the application serves anything. Flyway serializes concurrent
 * starts of several nodes with a PostgreSQL advisory lock.
 */
@Singleton
@Startup
public class DatabaseMigrations {
  // db/migration and Flyway's default db/callback each hold an empty flyway.location file, by
  // which Flyway finds the folder under Liberty's class loader.
  private static final String LOCATION = "classpath:db/migration";
  private static final Logger LOG = Logger.getLogger(DatabaseMigrations.class.getName());

  @Resource(lookup = "java:comp/env/jdbc/sealsync")
  private DataSource dataSource;

  private volatile boolean applied;
  private volatile String schemaVersion = "none";

  // Flyway commits its own work; it must not run inside a container transaction.
  @PostConstruct
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  void migrate() {
    describeDatabase();
    Flyway flyway =
        Flyway.configure(getClass().getClassLoader())
            .dataSource(dataSource)
            .locations(LOCATION)
            .failOnMissingLocations(true)
            .load();
    MigrateResult result = flyway.migrate();
    schemaVersion =
        result.targetSchemaVersion != null
            ? result.targetSchemaVersion
            : result.initialSchemaVersion;
    applied = true;
    LOG.info(
        () ->
            "Database schema at version "
                + schemaVersion
                + " ("
                + result.migrationsExecuted
                + " migration(s) applied now)");
  }

  /** Says at start which database the pool reached, so that a wrong target is seen at once. */
  private void describeDatabase() {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT current_setting('server_version'), coalesce(host(inet_server_addr()),"
                    + " 'a local socket'), coalesce(inet_server_port(), 0), pg_is_in_recovery()")) {
      rs.next();
      String where =
          "Database: PostgreSQL " + rs.getString(1) + " at " + rs.getString(2) + ":" + rs.getInt(3);
      if (rs.getBoolean(4)) {
        lastWritable = false;
        LOG.severe(
            where
                + ", a standby (read-only): writes are answered 503 until the pool reaches the"
                + " primary (a multi-host SEALSYNC_DB_URL with targetServerType=primary, or the"
                + " cluster's writer endpoint; docs/deploying.md)");
      } else {
        LOG.info(where + ", the primary");
      }
    } catch (SQLException | RuntimeException e) {
      LOG.warning("Database: not reachable at start (" + e + "); readiness reports it");
    }
  }

  @Lock(LockType.READ)
  public boolean applied() {
    return applied;
  }

  @Lock(LockType.READ)
  public String schemaVersion() {
    return schemaVersion;
  }

  /**
   * Whether the database answers now. Health checks ask here rather than look the datasource up
   * themselves: servers may run them on their own threads (WildFly: the management interface's),
   * where the application's {@code java:comp} names cannot be resolved, while a call into this bean
   * always runs in the application's naming context.
   */
  @Lock(LockType.READ)
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public boolean databaseReachable() {
    return writable().isPresent();
  }

  /**
   * Whether the database the pool reaches now takes writes (a primary), or empty when it does not
   * answer. A server pointed at a standby (or at a primary that was demoted under it) answers its
   * writes 503; readiness says why, and the log says it once per change.
   */
  @Lock(LockType.READ)
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public Optional<Boolean> writable() {
    Optional<Boolean> now;
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.setQueryTimeout(2);
      try (ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
        rs.next();
        now = Optional.of(!rs.getBoolean(1));
      }
    } catch (SQLException | RuntimeException e) {
      now = Optional.empty();
    }
    if (now.isPresent() && now.get() != lastWritable) {
      lastWritable = now.get();
      if (lastWritable) {
        LOG.info("Database: the primary takes writes");
      } else {
        LOG.severe(
            "Database: the pool reaches a standby (read-only): writes are answered 503 until it"
                + " reaches the primary (a multi-host SEALSYNC_DB_URL with targetServerType=primary,"
                + " or the cluster's writer endpoint; docs/deploying.md)");
      }
    }
    return now;
  }

  /** What the last look found, so that a change is logged once. */
  private volatile boolean lastWritable = true;
}
