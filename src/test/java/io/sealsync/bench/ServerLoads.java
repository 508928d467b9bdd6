package io.sealsync.bench;

import io.sealsync.agentstate.ReplicationClient;
import io.sealsync.rowsync.SyncClient;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.Jwts;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The workloads against a server, over HTTP, speaking the protocols as their clients do: Sealsync,
 * or for the row-sync workloads the reference server (same protocol, its own tokens).
 */
final class ServerLoads {
  static final int SNAPSHOT_PAGE_ROWS = 5000;

  private final URL base;
  private final Http http;
  private final Function<String, String> tokens;

  /** Sealsync, with the development overlay's tokens. */
  ServerLoads(URL base) {
    this(base, Jwts::forUser);
  }

  /** A server whose bearer token for a user is {@code tokens.apply(user)}. */
  ServerLoads(URL base, Function<String, String> tokens) {
    this.base = base;
    this.http = new Http(base); // HTTP/1.1 on pooled keep-alive connections, as real clients
    this.tokens = tokens;
  }

  private SyncClient device(String user, String source) {
    return new SyncClient(http, user, source, tokens.apply(user));
  }

  Http http() {
    return http;
  }

  /** Users whose scope is initialized empty by a first device, ready to push. */
  List<String> newUsers(String prefix, int count) {
    List<String> users = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String user = prefix + "-" + i;
      Http.Reply r = device(user, "dev").connect(false);
      expect(r, 200, "connect " + user);
      if (!"initialize_empty".equals(r.json().getString("resolution"))) {
        throw new IllegalStateException("connect " + user + ": " + r.text());
      }
      users.add(user);
    }
    return users;
  }

  /** Push: each client is one device of its own user; one operation is one committed bundle. */
  Load.Clients push(List<String> users, int rowsPerBundle) {
    return client -> {
      SyncClient device = device(users.get(client), "dev");
      return index -> pushBundle(device, index + 1, rowsPerBundle);
    };
  }

  /**
   * The per-request floor: {@code GET /sync/capabilities} with a user's token, an endpoint that
   * authenticates and reads no database. What a small request costs in the container, the JSON
   * layer and authentication before any protocol work.
   */
  Load.Clients capabilities(List<String> users) {
    return client -> {
      SyncClient device = device(users.get(client), "dev");
      return index -> {
        expect(device.send("GET", "/sync/capabilities", null), 200, "capabilities");
        return 1;
      };
    };
  }

  /** Pushes bundles 1..{@code bundles} of {@code user} (seeding, not measured). */
  void seed(String user, int bundles, int rowsPerBundle) {
    SyncClient device = device(user, "dev");
    for (int b = 1; b <= bundles; b++) {
      pushBundle(device, b, rowsPerBundle);
    }
  }

  private static long pushBundle(SyncClient device, int bundle, int rows) {
    List<String> json = DemoUsers.pushJson(DemoUsers.bundle(device.user, bundle, rows));
    JsonObject committed = device.push(bundle, json);
    if (committed.getJsonNumber("row_count").longValue() != rows) {
      throw new IllegalStateException("commit of " + rows + " rows: " + committed);
    }
    return rows;
  }

  /**
   * Pull: each client is a new device of its user (a new source id per operation) that pulls the
   * whole retained history from bundle 0, page by page (rowsync.md §12.1).
   */
  Load.Clients pull(List<String> users) {
    return client ->
        index -> {
          SyncClient device = device(users.get(client), "new-device-" + client + "-" + index);
          long after = 0;
          long target = 0;
          long rows = 0;
          while (true) {
            Http.Reply r =
                device.send(
                    "GET",
                    "/sync/pull?max_bundles=1000&after_bundle_seq="
                        + after
                        + (target > 0 ? "&target_bundle_seq=" + target : ""),
                    null);
            expect(r, 200, "pull");
            PullPage page = PullPage.read(r.bytes());
            target = page.stableBundleSeq();
            rows += page.rows();
            after = page.lastBundleSeq() > 0 ? page.lastBundleSeq() : after;
            if (!page.hasMore()) {
              return rows;
            }
          }
        };
  }

  /** Timings of snapshot sessions: creates, and page reads ({@link #SNAPSHOT_PAGE_ROWS} rows). */
  record SnapshotTimes(Load.Measurement create, Load.Measurement read) {}

  /**
   * {@code iterations} times, one after another: a device of {@code user} creates a snapshot
   * session, reads it to the end, and deletes it (rowsync.md §14).
   */
  SnapshotTimes snapshot(String user, int iterations, Duration limit) {
    SyncClient device = device(user, "rebuilding-device");
    long createUnits = 0;
    long readUnits = 0;
    long createWall = 0;
    long readWall = 0;
    List<Long> creates = new ArrayList<>();
    List<Long> pages = new ArrayList<>();
    long deadline = System.nanoTime() + limit.toNanos();
    for (int i = 0; i < iterations && System.nanoTime() < deadline; i++) {
      long t0 = System.nanoTime();
      Http.Reply created = device.send("POST", "/sync/snapshot-sessions", null);
      long t1 = System.nanoTime();
      expect(created, 200, "snapshot create");
      String id = created.json().getString("snapshot_id");
      long rowCount = created.json().getJsonNumber("row_count").longValue();
      creates.add(t1 - t0);
      createWall += t1 - t0;
      createUnits += rowCount;
      long after = 0;
      boolean more = true;
      while (more) {
        long p0 = System.nanoTime();
        Http.Reply page =
            device.send(
                "GET",
                "/sync/snapshot-sessions/"
                    + id
                    + "?after_row_ordinal="
                    + after
                    + "&max_rows="
                    + SNAPSHOT_PAGE_ROWS,
                null);
        long p1 = System.nanoTime();
        expect(page, 200, "snapshot chunk");
        JsonObject chunk = page.json();
        readUnits += chunk.getJsonArray("rows").size();
        after = chunk.getJsonNumber("next_row_ordinal").longValue();
        more = chunk.getBoolean("has_more");
        pages.add(p1 - p0);
        readWall += p1 - p0;
      }
      if (after != rowCount) {
        throw new IllegalStateException("snapshot read " + after + " of " + rowCount + " rows");
      }
      expect(device.send("DELETE", "/sync/snapshot-sessions/" + id, null), 204, "snapshot delete");
    }
    return new SnapshotTimes(
        Load.Measurement.of(createUnits, createWall, List.of(toArray(creates))),
        Load.Measurement.of(readUnits, readWall, List.of(toArray(pages))));
  }

  private static long[] toArray(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * Replicate: each client is the worker of its own project-token tenant, appending one block per
   * request with its block_hash and the chained merkle_root (agent-state.md §5, §8).
   */
  Load.Clients replicate(Blocks blocks) {
    return client -> {
      ReplicationClient worker = new ReplicationClient(http, Http.newProjectToken());
      return index -> {
        Http.Reply r = worker.appendEncoded(blocks.hash(index), blocks.encoded(index));
        expect(r, 200, "replicate");
        if (r.json().getInt("accepted", 0) != 1) {
          throw new IllegalStateException("replicate: " + r.text());
        }
        return 1;
      };
    };
  }

  /** Open watch streams ({@code GET /sync/watch}, rowsync.md §15), counting the events received. */
  static final class Watchers implements AutoCloseable {
    private final List<Flow.Subscription> subscriptions = new ArrayList<>();
    private final AtomicLong events = new AtomicLong();
    private final AtomicInteger ended = new AtomicInteger();

    long events() {
      return events.get();
    }

    /** Streams that ended (or failed) while they should have stayed open. */
    int ended() {
      return ended.get();
    }

    int open() {
      return subscriptions.size();
    }

    @Override
    public void close() {
      synchronized (subscriptions) {
        subscriptions.forEach(Flow.Subscription::cancel);
      }
    }
  }

  /**
   * Opens {@code count} watch streams spread over {@code users}, each its own device and HTTP
   * connection; streams are read asynchronously (no thread per stream on this side either).
   */
  Watchers watch(List<String> users, int count) throws Exception {
    HttpClient sse =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    Watchers w = new Watchers();
    int batch = 100;
    try {
      for (int from = 0; from < count; from += batch) {
        List<CompletableFuture<Integer>> statuses = new ArrayList<>();
        for (int j = from; j < Math.min(count, from + batch); j++) {
          SyncClient device = device(users.get(j % users.size()), "watcher-" + j);
          HttpRequest request =
              HttpRequest.newBuilder(URI.create(http.base() + "/sync/watch?after_bundle_seq=0"))
                  .header("Authorization", "Bearer " + device.token)
                  .header("Oversync-Source-ID", device.source)
                  .header("Accept", "text/event-stream")
                  .build();
          CompletableFuture<Integer> status = new CompletableFuture<>();
          statuses.add(status);
          sse.sendAsync(
                  request,
                  info -> {
                    status.complete(info.statusCode());
                    return HttpResponse.BodySubscribers.fromLineSubscriber(new Lines(w));
                  })
              .whenComplete(
                  (response, failure) -> {
                    if (failure != null) {
                      status.completeExceptionally(failure);
                    }
                  });
        }
        for (CompletableFuture<Integer> s : statuses) {
          int code = s.get(60, TimeUnit.SECONDS);
          if (code != 200) {
            throw new IllegalStateException("watch answered " + code);
          }
        }
      }
    } catch (Exception e) {
      w.close();
      throw e;
    }
    return w;
  }

  /** One stream's lines: counts the {@code data:} lines of events. */
  private static final class Lines implements Flow.Subscriber<String> {
    private final Watchers watchers;

    Lines(Watchers watchers) {
      this.watchers = watchers;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      synchronized (watchers.subscriptions) {
        watchers.subscriptions.add(subscription);
      }
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      if (line.startsWith("data:")) {
        watchers.events.incrementAndGet();
      }
    }

    @Override
    public void onError(Throwable throwable) {
      watchers.ended.incrementAndGet();
    }

    @Override
    public void onComplete() {
      watchers.ended.incrementAndGet();
    }
  }

  static void expect(Http.Reply r, int status, String what) {
    if (r.status() != status) {
      throw new IllegalStateException(what + ": " + r.status() + " " + r.text());
    }
  }

  URL base() {
    return base;
  }
}
