package io.sealsync.admin.console;

import io.sealsync.admin.AdminDatabase;
import io.sealsync.platform.JsonBodies;
import io.sealsync.platform.db.DatabaseMigrations;
import io.sealsync.rowsync.api.SyncLifecycle;
import io.sealsync.rowsync.schema.RowSyncRuntime;
import io.sealsync.rowsync.watch.BundleChangeListener;
import io.sealsync.rowsync.watch.WatchHub;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** {@code GET /admin/overview} and {@code GET /admin/metrics}: the console's first page. */
@Path("admin")
@Produces(MediaType.APPLICATION_JSON)
public class OverviewResource {
  @Inject @Readiness Instance<HealthCheck> readiness;
  @Inject @Liveness Instance<HealthCheck> liveness;
  @Inject DatabaseMigrations migrations;
  @Inject SyncLifecycle lifecycle;
  @Inject BundleChangeListener listener;
  @Inject WatchHub hub;
  @Inject RowSyncRuntime runtime;
  @Inject ConsoleMetrics metrics;
  @Inject OverviewTotals totals;
  @Inject AdminDatabase db;
  @Context ServletContext servletContext;

  public record Check(String name, String status, Map<String, Object> data) {}

  public record Health(String status, List<Check> checks) {}

  public record Database(
      boolean reachable, boolean migrationsApplied, String schemaVersion, String product) {}

  public record Listener(boolean enabled, boolean listening, String channel) {}

  public record RowSync(
      String lifecycle,
      boolean acceptingOperations,
      int inflightOperations,
      int registeredTables,
      Listener watchListener,
      int watchersOnThisNode) {}

  public record Overview(
      String version,
      String serverInfo,
      String startedAt,
      long uptimeSeconds,
      Health liveness,
      Health readiness,
      Database database,
      RowSync rowSync,
      OverviewTotals.Totals totals) {}

  @GET
  @Path("overview")
  public String overview() {
    long uptimeMs = ManagementFactory.getRuntimeMXBean().getUptime();
    boolean reachable = migrations.databaseReachable();
    String product = null;
    if (reachable) {
      product = db.one("SELECT version()", rs -> rs.getString(1));
    }
    return JsonBodies.toJson(
        new Overview(
            version(),
            servletContext.getServerInfo(),
            io.sealsync.platform.Timestamps.format(
                Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime())),
            uptimeMs / 1000,
            health(liveness),
            health(readiness),
            new Database(reachable, migrations.applied(), migrations.schemaVersion(), product),
            new RowSync(
                lifecycle.state().wire(),
                lifecycle.state() == SyncLifecycle.State.RUNNING,
                lifecycle.inflight(),
                runtime.tables().size(),
                new Listener(listener.enabled(), listener.listening(), listener.channel()),
                hub.subscriberCount()),
            reachable ? totals.totals(hub.subscriberCount()) : null));
  }

  @GET
  @Path("metrics")
  public String metrics() {
    return JsonBodies.toJson(metrics.snapshot());
  }

  private static Health health(Instance<HealthCheck> checks) {
    List<Check> list = new ArrayList<>();
    boolean up = true;
    for (HealthCheck check : checks) {
      HealthCheckResponse r;
      try {
        r = check.call();
      } catch (RuntimeException e) {
        r = HealthCheckResponse.named(check.getClass().getSimpleName()).down().build();
      }
      up &= r.getStatus() == HealthCheckResponse.Status.UP;
      list.add(new Check(r.getName(), r.getStatus().name(), r.getData().orElse(Map.of())));
    }
    list.sort(java.util.Comparator.comparing(Check::name));
    return new Health(up ? "UP" : "DOWN", list);
  }

  /** The WAR's version, from the descriptor Maven packs into it. */
  private String version() {
    try (InputStream in =
        servletContext.getResourceAsStream("/META-INF/maven/io.sealsync/sealsync/pom.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  static long longAt(ResultSet rs, int column) throws SQLException {
    return rs.getLong(column);
  }
}
