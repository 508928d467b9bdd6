package io.sealsync.bench;

import io.sealsync.rowsync.SyncClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The rows every push workload writes: {@code demo.users} inserts, the same for the server and for
 * its floor (same keys and values, derived from user, bundle and row number).
 */
final class DemoUsers {
  private DemoUsers() {}

  record UserRow(UUID id, String email, int age) {
    /** The push-row JSON of this insert (rowsync.md §5.2). */
    String pushJson() {
      return SyncClient.row(
          "users",
          "id",
          id.toString(),
          "INSERT",
          0,
          "{\"email\":\"" + email + "\",\"age\":" + age + "}");
    }
  }

  /** Bundle {@code bundle} (from 1) of {@code user}: {@code count} new users. */
  static List<UserRow> bundle(String user, int bundle, int count) {
    List<UserRow> rows = new ArrayList<>(count);
    for (int r = 0; r < count; r++) {
      String name = user + "/" + bundle + "/" + r;
      rows.add(
          new UserRow(
              UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)),
              "u" + bundle + "-" + r + "@bench.example",
              20 + (r % 50)));
    }
    return rows;
  }

  static List<String> pushJson(List<UserRow> rows) {
    return rows.stream().map(UserRow::pushJson).toList();
  }
}
