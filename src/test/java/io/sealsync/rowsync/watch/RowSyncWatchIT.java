package io.sealsync.rowsync.watch;

import static io.sealsync.rowsync.SyncClient.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.rowsync.SyncClient;
import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.TestDatabase;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The live watch over HTTP: SSE frames, catch-up, heartbeats and cross-node notifications. */
@ExtendWith(ArquillianExtension.class)
class RowSyncWatchIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;

  /** Reads the SSE stream line by line on the client's own thread. */
  record Stream2(HttpResponse<Stream<String>> response, BlockingQueue<String> lines) {
    String next(String prefix) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < deadline) {
        String line = lines.poll(100, TimeUnit.MILLISECONDS);
        if (line != null && line.startsWith(prefix)) {
          return line;
        }
      }
      return null;
    }
  }

  Stream2 watch(SyncClient c, long after) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(c.http.base() + "/sync/watch?after_bundle_seq=" + after))
            .header("Authorization", "Bearer " + c.token)
            .header("Oversync-Source-ID", c.source)
            .build();
    HttpResponse<Stream<String>> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> response.body().forEach(lines::add));
    reader.setDaemon(true);
    reader.start();
    return new Stream2(response, lines);
  }

  @Test
  void eventsArriveForLocalAndRemoteCommits() throws Exception {
    SyncClient c = new SyncClient(base, "watch-" + UUID.randomUUID(), "dev");
    c.connect(false);
    c.push(1, List.of(tag("a", "INSERT", 0, null)));
    Stream2 stream = watch(c, 0);
    assertEquals(200, stream.response().statusCode());
    assertEquals(
        "text/event-stream",
        stream.response().headers().firstValue("Content-Type").orElse("").split(";")[0]);
    assertEquals("no-cache", stream.response().headers().firstValue("Cache-Control").orElse(""));
    // The subscriber is behind: an immediate event for the latest bundle, without source fields.
    assertEquals("event: bundle", stream.next("event:"));
    assertEquals("data: {\"bundle_seq\":1}", stream.next("data:"));

    c.push(2, List.of(tag("b", "INSERT", 0, null)));
    String data = stream.next("data:");
    assertEquals("data: {\"bundle_seq\":2,\"source_id\":\"dev\",\"source_bundle_id\":2}", data);

    // A write that originates on the server is an ordinary bundle: watchers hear of it.
    io.sealsync.testsupport.Http.Reply written =
        c.http.admin(
            "POST",
            "/admin/rowsync/users/" + c.user + "/writes",
            "{\"writer_id\":\"admin:crm\",\"rows\":[" + tag("from-crm", "INSERT", 0, null) + "]}");
    assertEquals(200, written.status(), written.text());
    assertEquals(
        "data: {\"bundle_seq\":3,\"source_id\":\"admin:crm\",\"source_bundle_id\":1}",
        stream.next("data:"));

    // A bundle committed by another node arrives through PostgreSQL NOTIFY, within a second of
    // its commit (timed from the commit, not from opening the test's own connection).
    long started;
    try (Connection db = TestDatabase.connect();
        PreparedStatement ps =
            db.prepareStatement(
                "SELECT pg_notify('oversync_bundle_change_v1', json_build_object('user_pk', user_pk,"
                    + " 'bundle_seq', 4, 'source_id', 'other-node', 'source_bundle_id', 9)::text)"
                    + " FROM sync.user_state WHERE user_id = ?")) {
      ps.setString(1, c.user);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
      }
      started = System.nanoTime();
    }
    String remote = stream.next("data:");
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertEquals(
        "data: {\"bundle_seq\":4,\"source_id\":\"other-node\",\"source_bundle_id\":9}", remote);
    assertTrue(millis < 1000, "remote event took " + millis + " ms");
    // Heartbeats keep the stream alive (1 s on the test server).
    assertNotNull(stream.next(": heartbeat"));
    stream.response().body().close();
  }

  @Test
  void subscribingNeedsAnInitializedScope() throws Exception {
    SyncClient stranger = new SyncClient(base, "nobody-" + UUID.randomUUID(), "dev");
    assertEquals("scope_uninitialized", stranger.send("GET", "/sync/watch", null).error());
    SyncClient c = new SyncClient(base, "watch-" + UUID.randomUUID(), "dev");
    c.connect(false);
    assertEquals("invalid_request", c.send("GET", "/sync/watch?after_bundle_seq=-1", null).error());
    // Up to date: the stream opens with a heartbeat, and no event.
    Stream2 stream = watch(c, 0);
    assertEquals(200, stream.response().statusCode());
    assertNotNull(stream.next(": heartbeat"));
    stream.response().body().close();
  }
}
