package io.sealsync.bench;

import jakarta.json.Json;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParser.Event;
import java.io.ByteArrayInputStream;

/**
 * What the pull workload needs of a {@code GET /sync/pull} page (rowsync.md §12.1), read with a
 * streaming parser. The load generator shares the machine's two cores with the servers it measures:
 * building the object model of a page of thousands of rows took more CPU than serving it.
 *
 * @param stableBundleSeq the page's {@code stable_bundle_seq}
 * @param lastBundleSeq the {@code bundle_seq} of its last bundle, 0 when it has none
 * @param rows how many rows its bundles hold together
 * @param hasMore its {@code has_more}
 */
record PullPage(long stableBundleSeq, long lastBundleSeq, long rows, boolean hasMore) {
  static PullPage read(byte[] body) {
    long stable = -1;
    long last = 0;
    long rows = 0;
    Boolean more = null;
    try (JsonParser p = Json.createParser(new ByteArrayInputStream(body))) {
      expect(p.next(), Event.START_OBJECT);
      while (p.next() == Event.KEY_NAME) {
        String key = p.getString();
        Event value = p.next();
        switch (key) {
          case "stable_bundle_seq" -> stable = p.getLong();
          case "has_more" -> more = value == Event.VALUE_TRUE;
          case "bundles" -> {
            expect(value, Event.START_ARRAY);
            while (p.next() == Event.START_OBJECT) {
              while (p.next() == Event.KEY_NAME) {
                String field = p.getString();
                Event e = p.next();
                if (field.equals("bundle_seq")) {
                  last = p.getLong();
                } else if (field.equals("rows")) {
                  expect(e, Event.START_ARRAY);
                  while (p.next() == Event.START_OBJECT) {
                    rows++;
                    p.skipObject();
                  }
                } else {
                  skip(p, e);
                }
              }
            }
          }
          default -> skip(p, value);
        }
      }
    }
    if (stable < 0 || more == null) {
      throw new IllegalStateException("pull page without stable_bundle_seq or has_more");
    }
    return new PullPage(stable, last, rows, more);
  }

  private static void skip(JsonParser p, Event e) {
    if (e == Event.START_OBJECT) {
      p.skipObject();
    } else if (e == Event.START_ARRAY) {
      p.skipArray();
    }
  }

  private static void expect(Event actual, Event expected) {
    if (actual != expected) {
      throw new IllegalStateException("pull page: " + expected + " expected, got " + actual);
    }
  }
}
