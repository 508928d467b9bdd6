package io.sealsync.testsupport;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The log of the server under test (OpenLiberty's messages.log and FFDC directory, or the log file
 * of Payara and WildFly that {@link AppServerContainer} names), read from a mark on: what a test's
 * requests made the server write.
 */
public final class ServerLogs {
  static final String LOG_PROPERTY = "sealsync.test.server.log";

  /** A position in the log, and the FFDC incidents written so far. */
  public record Mark(long offset, long incidents) {}

  private ServerLogs() {}

  public static Path log() {
    String named = System.getProperty(LOG_PROPERTY);
    return named != null ? Path.of(named) : libertyLogs().resolve("messages.log");
  }

  /** OpenLiberty's FFDC directory; null on the other servers, which have none. */
  public static Path incidents() {
    return System.getProperty(LOG_PROPERTY) != null ? null : libertyLogs().resolve("ffdc");
  }

  private static Path libertyLogs() {
    return Path.of(
        System.getProperty("sealsync.test.wlp", "target/liberty/wlp"),
        "usr",
        "servers",
        System.getProperty("sealsync.test.liberty.server", "sealsync-test"),
        "logs");
  }

  public static Mark mark() throws IOException {
    return new Mark(Files.exists(log()) ? Files.size(log()) : 0, incidentCount());
  }

  private static long incidentCount() throws IOException {
    Path dir = incidents();
    if (dir == null || !Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("ffdc_")).count();
    }
  }

  /** FFDC incidents written since the mark. */
  public static long incidentsSince(Mark mark) throws IOException {
    return incidentCount() - mark.incidents();
  }

  /** The FFDC incident files written since the mark, each as its text (newest last). */
  public static List<String> incidentFilesSince(Mark mark) throws IOException {
    Path dir = incidents();
    if (dir == null || !Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all =
          files.filter(p -> p.getFileName().toString().startsWith("ffdc_")).sorted().toList();
      List<String> texts = new java.util.ArrayList<>();
      for (Path p : all.subList((int) Math.min(mark.incidents(), all.size()), all.size())) {
        texts.add(Files.readString(p, StandardCharsets.ISO_8859_1));
      }
      return texts;
    }
  }

  /** The lines written since the mark. */
  public static List<String> linesSince(Mark mark) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(log().toFile(), "r")) {
      long from = f.length() < mark.offset() ? 0 : mark.offset();
      byte[] bytes = new byte[(int) (f.length() - from)];
      f.seek(from);
      f.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    }
  }
}
