package io.sealsync.rowsync;

import io.sealsync.platform.config.ConfigDurations;
import io.sealsync.platform.config.ConfigNumbers;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every {@code sealsync.rowsync.*} setting but the table list, read once and checked at start
 * (docs/configuration.md): a value out of range stops the deployment with a message naming the
 * setting, rather than surfacing as expired leases or a stalled sweep later.
 */
public record RowSyncSettings(
    Duration initializationLease,
    Duration sessionSweepInterval,
    Duration statusRefresh,
    long shutdownDrainSeconds,
    boolean watchEnabled,
    String watchChannel,
    long watchHeartbeatSeconds,
    String appName,
    long maxRowsPerBundle,
    long maxBytesPerBundle,
    long maxRowsPerSnapshotSession,
    long maxBytesPerSnapshotSession,
    long retainedBundlesPerUser,
    long retentionPruneBatchSize) {

  /** Push and snapshot sessions live this long after their last use (rowsync.md §21). */
  public static final Duration SESSION_TTL = Duration.ofMinutes(15);

  /**
   * Expired sessions are kept this long, so that a client arriving late is told its session expired
   * (410) rather than that it never existed (404).
   */
  public static final Duration EXPIRED_SESSION_GRACE = Duration.ofMinutes(5);

  static final String PREFIX = "sealsync.rowsync.";

  /** The largest limit a setting takes (0 is none): far beyond any bundle or snapshot. */
  private static final long LIMIT = 1_000_000_000_000L;

  /** Reads and checks the settings; {@code config} answers a full key with its value, if set. */
  public static RowSyncSettings read(Function<String, Optional<String>> config) {
    Reader r = new Reader(config);
    Duration lease = r.duration("initialization-lease-ttl", "PT15M");
    if (lease.toSeconds() < 1) {
      throw new IllegalArgumentException(
          PREFIX + "initialization-lease-ttl must be at least one second, got " + lease);
    }
    String channel = r.text("watch.channel", "oversync_bundle_change_v1");
    if (!SqlNames.valid(channel) || channel.length() > 63) {
      throw new IllegalArgumentException(
          PREFIX + "watch.channel must match [a-z0-9_]{1,63}, got '" + channel + "'");
    }
    String appName = r.text("app-name", "sealsync");
    if (appName.isBlank()) {
      throw new IllegalArgumentException(PREFIX + "app-name must not be blank");
    }
    return new RowSyncSettings(
        lease,
        r.duration("session-sweep-interval", "PT1M"),
        r.duration("status-refresh-interval", "PT5S"),
        r.number("shutdown-drain-seconds", 20, 0, 3_600),
        r.bool("watch.enabled", true),
        channel,
        r.number("watch.heartbeat-seconds", 25, 1, 3_600),
        appName,
        r.number("max-rows-per-bundle", 0, 0, LIMIT),
        r.number("max-bytes-per-bundle", 0, 0, LIMIT),
        r.number("max-rows-per-snapshot-session", 0, 0, LIMIT),
        r.number("max-bytes-per-snapshot-session", 0, 0, LIMIT),
        r.number("retained-bundles-per-user", 10_000, 1, 1_000_000_000),
        r.number("retention-prune-batch-size", 1_000, 1, 1_000_000));
  }

  private record Reader(Function<String, Optional<String>> config) {
    String text(String name, String fallback) {
      return config.apply(PREFIX + name).map(String::trim).orElse(fallback);
    }

    Duration duration(String name, String fallback) {
      return ConfigDurations.positive(PREFIX + name, text(name, fallback));
    }

    long number(String name, long fallback, long min, long max) {
      return ConfigNumbers.longIn(PREFIX + name, text(name, Long.toString(fallback)), min, max);
    }

    boolean bool(String name, boolean fallback) {
      String raw = text(name, Boolean.toString(fallback));
      if (!raw.equalsIgnoreCase("true") && !raw.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException(
            PREFIX + name + " must be true or false, got '" + raw + "'");
      }
      return Boolean.parseBoolean(raw);
    }
  }
}
