package io.sealsync.agentstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.Http;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URL;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.naming.InitialContext;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A full replay page costs the server a few blocks of memory, not the page (D9): runs inside the
 * server, reads a page of 1000 maximum blocks from it over HTTP, and measures the server's live
 * heap (after a full collection) while the page is on its way.
 */
@ExtendWith(ArquillianExtension.class)
@Tag("liberty-only")
class ReplayMemoryIT {
  private static final long MIB = 1024 * 1024;

  @Deployment
  static WebArchive deployment() {
    return Deployments.war()
        .addClasses(ReplayMemoryIT.class, LargeLogs.class, ReplicationClient.class, Http.class);
  }

  @ArquillianResource URL base;

  /** The live heap: what is still referenced after a full collection. */
  static long liveHeap() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    memory.gc();
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  @Test
  void aFullPageIsNeverHeldInMemory() throws Exception {
    Http.LiveTenant t = new Http(base).liveTenant(0, null, null);
    String salt = UUID.randomUUID().toString();
    DataSource db = InitialContext.doLookup("java:comp/env/jdbc/sealsync");
    List<String> hashes;
    try (Connection c = db.getConnection()) {
      hashes = LargeLogs.insert(c, t.tenantId(), salt, 1000);
    }

    long before = liveHeap();
    long[] peak = {before};
    int[] seen = {0};
    HttpResponse<InputStream> r = LargeLogs.replay(base, t.key(), "since=-1");
    assertEquals(200, r.statusCode());
    LargeLogs.Page page;
    try (InputStream in = r.body()) {
      page =
          LargeLogs.read(
              in,
              c -> {
                int seq = seen[0]++;
                byte[] bytes = Base64.getDecoder().decode(c.getString("ciphertext_b64"));
                assertEquals(hashes.get(seq), ReplicationClient.sha256Hex(bytes), "block " + seq);
                // A page built before it is sent would be alive in full by now.
                if (seq % 200 == 100) {
                  peak[0] = Math.max(peak[0], liveHeap());
                }
              });
    }
    assertEquals(1000, page.members().getInt("count"));
    assertEquals(1000, seen[0]);
    long growth = peak[0] - before;
    System.out.println(
        String.format(
            "ReplayMemoryIT: live heap %d MiB before the page, at most %d MiB during it",
            before / MIB, peak[0] / MIB));
    // The page is 250 MiB of blocks and 350 MB of JSON; a few blocks in flight are a few MiB.
    assertTrue(
        growth < 48 * MIB,
        "the live heap grew by " + growth / MIB + " MiB while a 250 MiB page was streamed");
  }
}
