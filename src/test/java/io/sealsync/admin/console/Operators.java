package io.sealsync.admin.console;

import io.sealsync.agentstate.ReplicationClient;
import io.sealsync.testsupport.AppServer;
import io.sealsync.testsupport.Http;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/** Credentials and traffic shared by the console's API and browser tests. */
final class Operators {
  private Operators() {}

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static final String ADMIN = basic(Http.ADMIN_USER, Http.ADMIN_PASSWORD);

  /** A user every test server knows but who lacks the role sealsync-admin. */
  static final String VIEWER = basic(AppServer.VIEWER_USER, AppServer.VIEWER_PASSWORD);

  /** Random blocks, as ciphertext looks to the server. */
  static List<byte[]> blocks(int count, int size, long seed) {
    Random r = new Random(seed);
    List<byte[]> blocks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] b = new byte[size];
      r.nextBytes(b);
      blocks.add(b);
    }
    return blocks;
  }

  /** Appends blocks to a live key's empty log from sequence 0; fails on anything but 200. */
  static void replicate(Http http, String key, List<byte[]> blocks) {
    ReplicationClient client = new ReplicationClient(http, key);
    Http.Reply r = client.append(blocks);
    if (r.status() != 200) {
      throw new AssertionError("replicate: " + r.status() + " " + r.text());
    }
  }
}
