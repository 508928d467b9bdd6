package io.sealsync.faults;

import io.sealsync.testsupport.Http;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A row-sync watcher (rowsync.md §15): an SSE stream from {@code node}, opened again after the last
 * event seen whenever it ends, as the Go client does. Remembers the highest {@code bundle_seq}.
 */
final class Watcher implements Runnable {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  final String name;
  final Http node;
  final String token;
  final String source;
  final Tally tally;
  final AtomicLong events = new AtomicLong();
  final AtomicLong streams = new AtomicLong();
  private volatile long lastSeen;
  private volatile boolean stopping;
  private volatile Stream<String> current;

  Watcher(String name, Http node, String token, Tally tally) {
    this.name = name;
    this.node = node;
    this.token = token;
    this.source = "watch-" + name;
    this.tally = tally;
  }

  long lastSeen() {
    return lastSeen;
  }

  @Override
  public void run() {
    while (!stopping) {
      try {
        HttpRequest request =
            HttpRequest.newBuilder(
                    URI.create(node.base() + "/sync/watch?after_bundle_seq=" + lastSeen))
                .header("Authorization", "Bearer " + token)
                .header("Oversync-Source-ID", source)
                .build();
        long started = System.nanoTime();
        HttpResponse<Stream<String>> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofLines());
        if (r.statusCode() != 200) {
          byte[] body = String.join("\n", r.body().toList()).getBytes();
          long wait =
              tally.answer(
                  name + " watch",
                  new Answer(r.statusCode(), r.headers(), body),
                  TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
          Thread.sleep(Math.max(1, wait) * 1000);
          continue;
        }
        streams.incrementAndGet();
        current = r.body();
        current.forEach(
            line -> {
              if (line.startsWith("data:")) {
                try (var reader = Json.createReader(new StringReader(line.substring(5).trim()))) {
                  JsonObject event = reader.readObject();
                  lastSeen = Math.max(lastSeen, event.getJsonNumber("bundle_seq").longValue());
                  events.incrementAndGet();
                }
              }
            });
      } catch (IOException | java.io.UncheckedIOException e) {
        if (!stopping) {
          tally.transportFailure();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!stopping) {
          tally.violation(name + " watch failed: " + e);
        }
      }
      if (!stopping) {
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Waits until an event for {@code bundleSeq} (or later) arrived; answers whether it did. */
  boolean awaitSeen(long bundleSeq, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (lastSeen < bundleSeq && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    return lastSeen >= bundleSeq;
  }

  void stop() {
    stopping = true;
    Stream<String> s = current;
    if (s != null) {
      s.close();
    }
  }

  /** A non-200 answer of the watch route, in the shape {@link Tally} reads. */
  private record Answer(int statusCode, java.net.http.HttpHeaders headers, byte[] body)
      implements HttpResponse<byte[]> {
    @Override
    public HttpRequest request() {
      return null;
    }

    @Override
    public java.util.Optional<HttpResponse<byte[]>> previousResponse() {
      return java.util.Optional.empty();
    }

    @Override
    public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
      return java.util.Optional.empty();
    }

    @Override
    public URI uri() {
      return null;
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }
}
