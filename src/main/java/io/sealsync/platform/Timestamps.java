package io.sealsync.platform;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The one timestamp form of our responses: RFC 3339 UTC with milliseconds, e.g.
 * 2026-05-20T08:00:00.123Z.
 */
public final class Timestamps {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {}

  public static String format(Instant instant) {
    return FORMAT.format(instant);
  }

  public static String format(OffsetDateTime time) {
    return FORMAT.format(time.toInstant());
  }

  /** The current time, truncated to what the database keeps (microseconds). */
  public static OffsetDateTime now() {
    Instant now = Instant.now();
    return OffsetDateTime.ofInstant(now.minusNanos(now.getNano() % 1000), ZoneOffset.UTC);
  }
}
