package io.sealsync.rowsync.codec;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Timestamps as Go's RFC3339Nano prints them in UTC: trailing zeros of the fraction dropped. */
public final class GoTime {
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private GoTime() {}

  public static String format(Instant t) {
    StringBuilder sb = new StringBuilder(SECONDS.format(t));
    int nanos = t.getNano();
    if (nanos != 0) {
      String fraction = String.format("%09d", nanos).replaceAll("0+$", "");
      sb.append('.').append(fraction);
    }
    return sb.append('Z').toString();
  }

  public static String format(OffsetDateTime t) {
    return format(t.toInstant());
  }
}
