package io.sealsync.platform.db;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The container's connection pool of {@code jdbc/sealsync}, read from the statistics each server
 * publishes over JMX (OpenLiberty's {@code ConnectionPoolStats} with the {@code monitor-1.0}
 * feature, WildFly's datasource pool statistics, Payara's monitoring MBeans), under one set of
 * names. The pool's size limit comes from {@code sealsync.db.pool.max}, the setting every server's
 * configuration sizes it with.
 */
@ApplicationScoped
public class PoolMeters implements MeterBinder {
  private static final Logger LOG = Logger.getLogger(PoolMeters.class.getName());

  /** How one server publishes its pool. */
  private record Source(
      String pattern,
      ToDoubleFunction<Reader> inUse,
      ToDoubleFunction<Reader> idle,
      ToDoubleFunction<Reader> waitSeconds) {}

  private static final Source[] SOURCES = {
    // OpenLiberty (monitor-1.0): counts, and WaitTimeDetails' total in milliseconds.
    new Source(
        "WebSphere:type=ConnectionPoolStats,name=jdbc/sealsync",
        r -> r.number("ManagedConnectionCount") - r.number("FreeConnectionCount"),
        r -> r.number("FreeConnectionCount"),
        r -> r.composite("WaitTimeDetails", "total") / 1000),
    // WildFly (statistics-enabled=true on the datasource): total blocking time in milliseconds.
    new Source(
        "jboss.as:subsystem=datasources,data-source=sealsync,statistics=pool",
        r -> r.number("InUseCount"),
        r -> r.number("IdleCount"),
        r -> r.number("TotalBlockingTime") / 1000),
    // Payara (monitoring of jdbc-connection-pool on): current values of its statistics.
    new Source(
        "amx:type=jdbc-connection-pool-mon,name=resources/sealsync,*",
        r -> r.composite("numconnused", "current"),
        r -> r.composite("numconnfree", "current"),
        r -> r.composite("connrequestwaittime", "current") / 1000),
  };

  /** Reads attributes of one MBean; a missing one reads as NaN. */
  private record Reader(MBeanServer server, ObjectName name) {
    double number(String attribute) {
      try {
        return ((Number) server.getAttribute(name, attribute)).doubleValue();
      } catch (Exception | LinkageError e) {
        LOG.log(Level.FINE, "pool statistic " + attribute + " unreadable", e);
        return Double.NaN;
      }
    }

    double composite(String attribute, String key) {
      try {
        Object v = ((CompositeData) server.getAttribute(name, attribute)).get(key);
        return ((Number) v).doubleValue();
      } catch (Exception | LinkageError e) {
        LOG.log(Level.FINE, "pool statistic " + attribute + "." + key + " unreadable", e);
        return Double.NaN;
      }
    }
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    int max =
        ConfigProvider.getConfig()
            .getOptionalValue("sealsync.db.pool.max", Integer.class)
            .orElse(50);
    Gauge.builder("sealsync_db_pool_connections_max", () -> max)
        .description("The most connections the pool opens (sealsync.db.pool.max).")
        .register(registry);
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    for (Source source : SOURCES) {
      try {
        Set<ObjectName> names = server.queryNames(new ObjectName(source.pattern()), null);
        if (names.isEmpty()) {
          continue;
        }
        Reader reader = new Reader(server, names.iterator().next());
        Gauge.builder("sealsync_db_pool_connections_in_use", reader, source.inUse())
            .description("Pooled connections handed out now.")
            .register(registry);
        Gauge.builder("sealsync_db_pool_connections_idle", reader, source.idle())
            .description("Pooled connections open and free now.")
            .register(registry);
        FunctionCounter.builder("sealsync_db_pool_wait_seconds", reader, source.waitSeconds())
            .description("Time requests waited for a pooled connection.")
            .register(registry);
        LOG.info("Connection pool metrics from " + reader.name());
        return;
      } catch (Exception e) {
        LOG.log(Level.FINE, "pool statistics " + source.pattern() + " not available", e);
      }
    }
    LOG.info(
        "Connection pool metrics: this server publishes no pool statistics for jdbc/sealsync"
            + " (docs/operating.md says how to turn them on)");
  }
}
