package io.sealsync.agentstate;

import static io.sealsync.agentstate.ReplicationClient.blob;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.TestDatabase;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.InputStream;
import java.net.URL;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /replay} pages (agent-state.md §7, D9): the whole page by default, since the shipping
 * client reads one page as its whole history; streamed, so that a full page of maximum blocks works
 * on a server with a small heap (the test servers run with 512 MiB); a byte budget only on request.
 */
@ExtendWith(ArquillianExtension.class)
class ReplayIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;
  Http http;
  ReplicationClient client;

  @BeforeEach
  void setUp() {
    http = new Http(base);
    client = new ReplicationClient(http, Http.newProjectToken());
  }

  /** Appends one request's blocks, waiting out the test server's rate limit. */
  void append(List<byte[]> blobs) throws InterruptedException {
    Http.Reply r = ReplicationClient.unlimited(() -> client.append(blobs));
    assertEquals(200, r.status(), r.text());
  }

  /** Checks a page's chunks against the blocks sent, from {@code first} on, and the chain. */
  static String verify(JsonArray chunks, List<byte[]> sent, int first, String root) {
    for (int i = 0; i < chunks.size(); i++) {
      JsonObject c = chunks.getJsonObject(i);
      assertEquals(first + i, c.getInt("sequence_number"));
      byte[] bytes = Base64.getDecoder().decode(c.getString("ciphertext_b64"));
      assertArrayEquals(sent.get(first + i), bytes, "block " + (first + i));
      assertEquals(ReplicationClient.sha256Hex(bytes), c.getString("block_hash"));
      root = ReplicationClient.chain(root, c.getString("block_hash"));
      assertEquals(root, c.getString("merkle_root"));
    }
    return root;
  }

  @Test
  void aWorkersWholeHistoryComesBackInOnePage() throws Exception {
    // 150 blocks of 64 KiB plaintext plus the crypto overhead, one per request as the worker
    // sends them: 9.4 MiB, more than the byte budget pages used to have by default.
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      sent.add(blob(65_536 + 28, i));
      append(List.of(sent.get(i)));
    }
    Http.Reply r = ReplicationClient.unlimited(() -> client.replay(-1));
    assertEquals(200, r.status(), r.text());
    assertEquals("application/json", r.contentType());
    JsonObject page = r.json();
    assertEquals(List.of("chunks", "count"), new ArrayList<>(page.keySet()));
    assertEquals(150, page.getInt("count"));
    assertEquals(150, page.getJsonArray("chunks").size());
    assertEquals(
        client.root, verify(page.getJsonArray("chunks"), sent, 0, ReplicationClient.ZERO_ROOT));
    for (JsonObject c : page.getJsonArray("chunks").getValuesAs(JsonObject.class)) {
      assertEquals(
          List.of("sequence_number", "block_hash", "ciphertext_b64", "merkle_root", "created_at"),
          new ArrayList<>(c.keySet()));
    }
    assertEquals(
        "{\"chunks\":[],\"count\":0}",
        ReplicationClient.unlimited(() -> client.replay(149)).text());
  }

  @Test
  void maxBytesPagesChainToTheSameRows() throws Exception {
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      sent.add(blob(1 + (i * 7919) % 120_000, i));
    }
    for (int i = 0; i < sent.size(); i += 10) {
      append(sent.subList(i, i + 10));
    }
    JsonArray all =
        ReplicationClient.unlimited(() -> client.replay(-1)).json().getJsonArray("chunks");
    assertEquals(40, all.size());

    long budget = 300_000;
    List<JsonObject> paged = new ArrayList<>();
    long since = -1;
    int pages = 0;
    while (true) {
      Http.Reply r = replay("since=" + since + "&max_bytes=" + budget);
      assertEquals(200, r.status(), r.text());
      JsonObject page = r.json();
      assertEquals(
          List.of("chunks", "count", "has_more", "next_since"), new ArrayList<>(page.keySet()));
      JsonArray chunks = page.getJsonArray("chunks");
      assertEquals(chunks.size(), page.getInt("count"));
      assertFalse(chunks.isEmpty(), "a page before the end is never empty");
      long bytes = 0;
      for (JsonObject c : chunks.getValuesAs(JsonObject.class)) {
        bytes += Base64.getDecoder().decode(c.getString("ciphertext_b64")).length;
      }
      assertTrue(bytes <= budget, bytes + " bytes in a page of " + budget);
      long last =
          chunks.getJsonObject(chunks.size() - 1).getJsonNumber("sequence_number").longValue();
      assertEquals(last, page.getJsonNumber("next_since").longValue());
      paged.addAll(chunks.getValuesAs(JsonObject.class));
      pages++;
      if (!page.getBoolean("has_more")) {
        break;
      }
      // The page stopped where the next block would have broken the budget.
      assertTrue(bytes + sent.get((int) last + 1).length > budget);
      since = last;
    }
    assertEquals(all.getValuesAs(JsonObject.class), paged);
    assertTrue(pages > 5, pages + " pages");
    assertEquals(
        "{\"chunks\":[],\"count\":0,\"has_more\":false,\"next_since\":39}",
        replay("since=39&max_bytes=" + budget).text());

    // A budget below one block still returns a block per page.
    JsonObject one = replay("since=4&max_bytes=1").json();
    assertEquals(1, one.getInt("count"));
    assertEquals(5, one.getJsonArray("chunks").getJsonObject(0).getInt("sequence_number"));
    assertTrue(one.getBoolean("has_more"));
    assertEquals(5, one.getInt("next_since"));
    // A budget larger than the log: everything, and the end.
    JsonObject whole = replay("since=-1&max_bytes=99999999999999999999").json();
    assertEquals(all, whole.getJsonArray("chunks"));
    assertFalse(whole.getBoolean("has_more"));
    assertEquals(39, whole.getInt("next_since"));
  }

  @Test
  void aTokenThatNeverWroteHasAnEmptyBudgetPage() throws Exception {
    assertEquals(
        "{\"chunks\":[],\"count\":0,\"has_more\":false,\"next_since\":-1}",
        replay("since=-1&max_bytes=1000").text());
  }

  @Test
  void maxBytesIsValidated() throws Exception {
    for (String bad : List.of("0", "-1", "abc", "1.5", "1e6", "", "%20")) {
      Http.Reply r = replay("since=-1&max_bytes=" + bad);
      assertEquals(400, r.status(), bad);
      assertEquals("application/json", r.contentType());
      assertEquals("{\"error\":\"bad_max_bytes_param\"}", r.text(), bad);
    }
    // since is checked first, as before.
    assertEquals("bad_since_param", replay("since=abc&max_bytes=0").error());
    assertEquals("missing_since_param", replay("max_bytes=0").error());
  }

  @Test
  void aFullPageOfMaximumBlocksIsStreamed() throws Exception {
    // 1000 blocks of 256 KiB: 250 MiB of blocks, about 350 MB of JSON in one page.
    Http.LiveTenant t = http.liveTenant(0, null, null);
    String salt = UUID.randomUUID().toString();
    List<String> hashes;
    try (Connection c = TestDatabase.connect()) {
      hashes = LargeLogs.insert(c, t.tenantId(), salt, 1000);
    }

    // Clients that leave mid-page, more of them than the server has database connections: each
    // is its client's problem, not a failure of the server, and holds nothing back.
    for (int i = 0; i < 60; i++) {
      HttpResponse<InputStream> r = LargeLogs.replay(base, t.key(), "since=-1");
      assertEquals(200, r.statusCode());
      try (InputStream in = r.body()) {
        assertEquals(100_000, in.readNBytes(100_000).length);
      }
    }

    HttpResponse<InputStream> r = LargeLogs.replay(base, t.key(), "since=-1");
    assertEquals(200, r.statusCode());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
    String[] root = {ReplicationClient.ZERO_ROOT};
    int[] seen = {0};
    LargeLogs.Page page;
    try (InputStream in = r.body()) {
      page =
          LargeLogs.read(
              in,
              c -> {
                int seq = seen[0]++;
                assertEquals(seq, c.getInt("sequence_number"));
                byte[] bytes = Base64.getDecoder().decode(c.getString("ciphertext_b64"));
                assertEquals(LargeLogs.MAX_BLOCK, bytes.length);
                String hash = ReplicationClient.sha256Hex(bytes);
                assertEquals(hashes.get(seq), hash, "block " + seq);
                assertEquals(hash, c.getString("block_hash"));
                root[0] = ReplicationClient.chain(root[0], hash);
                assertEquals(root[0], c.getString("merkle_root"));
              });
    }
    assertEquals(List.of("chunks", "count"), page.keys());
    assertEquals(1000, page.members().getInt("count"));
    assertEquals(1000, seen[0]);
    // The server still serves this tenant and others.
    assertEquals(
        999,
        http.get(ReplicationClient.ENDPOINT + "/head", t.key()).json().getInt("sequence_number"));
    assertEquals(200, client.append(List.of(blob(10, 1))).status());
  }

  Http.Reply replay(String query) throws InterruptedException {
    return ReplicationClient.unlimited(
        () -> http.get(ReplicationClient.ENDPOINT + "/replay?" + query, client.token));
  }
}
