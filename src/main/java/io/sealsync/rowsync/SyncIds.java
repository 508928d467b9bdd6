package io.sealsync.rowsync;

/** The rules for ids a client names (users, sources, writers) and for echoing client text. */
public final class SyncIds {
  /**
   * Source ids are indexed (per user, with a bundle number), and a PostgreSQL index entry holds at
   * most about 2700 bytes; clients use UUIDs. Longer ids are refused before they reach an index.
   */
  public static final int MAX_LENGTH = 512;

  private SyncIds() {}

  /**
   * Whether an id (of a user, a source, a writer) can be stored and indexed: not blank, at most
   * {@link #MAX_LENGTH} characters, without U+0000, which no PostgreSQL text can hold.
   */
  public static boolean storable(String id) {
    return id != null && !id.isBlank() && id.length() <= MAX_LENGTH && id.indexOf('\u0000') < 0;
  }

  /** A client's text as part of an error message: bounded, the answer need not echo megabytes. */
  public static String excerpt(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }
}
