package io.sealsync.testsupport;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The schema migrations the build packages, as the server reports the schema they reach. */
public final class Migrations {
  private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.*\\.sql");

  private Migrations() {}

  /** The highest version in {@code db/migration}: the schema version a migrated server reports. */
  public static String latest() {
    URL folder = Migrations.class.getClassLoader().getResource("db/migration");
    if (folder == null) {
      throw new IllegalStateException("db/migration is not on the test class path");
    }
    try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
      return Integer.toString(
          files
              .map(f -> VERSIONED.matcher(f.getFileName().toString()))
              .filter(Matcher::matches)
              .mapToInt(m -> Integer.parseInt(m.group(1)))
              .max()
              .orElseThrow());
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("db/migration", e);
    }
  }
}
