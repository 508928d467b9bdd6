package io.sealsync.testsupport;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.DoublePredicate;

/**
 * A real Prometheus server (Debian's package {@code prometheus}) scraping one target every second,
 * queried through its own HTTP API. Tests skip where the binary is missing.
 */
public final class Prometheus implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/bin/prometheus");

  private final Process process;
  private final Path dir;
  private final String api;
  private final HttpClient client = HttpClient.newHttpClient();

  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /** Starts Prometheus scraping {@code target} (host:port) at {@code /metrics} as job sealsync. */
  public static Prometheus scraping(String target) throws IOException, InterruptedException {
    return new Prometheus(target);
  }

  private Prometheus(String target) throws IOException, InterruptedException {
    dir = Files.createTempDirectory("sealsync-prometheus");
    Files.writeString(
        dir.resolve("prometheus.yml"),
        "global:\n"
            + "  scrape_interval: 1s\n"
            + "  scrape_timeout: 1s\n"
            + "scrape_configs:\n"
            + "  - job_name: sealsync\n"
            + "    metrics_path: /metrics\n"
            + "    static_configs:\n"
            + "      - targets: ['"
            + target
            + "']\n");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    api = "http://127.0.0.1:" + port;
    process =
        new ProcessBuilder(
                BINARY.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    await("Prometheus ready", () -> get("/-/ready") == 200, Duration.ofSeconds(60));
    await(
        "the target scraped and up",
        () -> value("up{job=\"sealsync\"}").orElse(0) == 1,
        Duration.ofSeconds(60));
  }

  /** The instant value of a PromQL expression that yields one series, if it yields one. */
  public OptionalDouble value(String promql) {
    JsonArray result = query(promql);
    if (result.isEmpty()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(
        Double.parseDouble(result.getJsonObject(0).getJsonArray("value").getString(1)));
  }

  /** The sum over the series of a PromQL expression; 0 when there are none. */
  public double sum(String promql) {
    return value("sum(" + promql + ")").orElse(0);
  }

  /** Every metric name Prometheus holds. */
  public List<String> metricNames() {
    JsonObject o = json("/api/v1/label/__name__/values");
    List<String> names = new ArrayList<>();
    o.getJsonArray("data")
        .getValuesAs(jakarta.json.JsonString.class)
        .forEach(s -> names.add(s.getString()));
    return names;
  }

  public JsonArray query(String promql) {
    JsonObject o = json("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    if (!"success".equals(o.getString("status"))) {
      throw new IllegalStateException("query " + promql + ": " + o);
    }
    return o.getJsonObject("data").getJsonArray("result");
  }

  /** Waits until {@code sum(promql)} satisfies {@code condition}; returns the last value. */
  public double awaitSum(String promql, DoublePredicate condition, Duration timeout)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    double last;
    while (true) {
      last = sum(promql);
      if (condition.test(last) || System.nanoTime() > end) {
        return last;
      }
      Thread.sleep(250);
    }
  }

  /** Waits for two more scrapes, so that what the target shows now is in Prometheus. */
  public void awaitFreshScrape() throws InterruptedException {
    double before = scrapes();
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (scrapes() < before + 2 && System.nanoTime() < end) {
      Thread.sleep(200);
    }
  }

  private double scrapes() {
    return sum("count_over_time(up{job=\"sealsync\"}[1h])");
  }

  private JsonObject json(String path) {
    try {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create(api + path)).build(),
              HttpResponse.BodyHandlers.ofString());
      return Json.createReader(new StringReader(r.body())).readObject();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private int get(String path) {
    try {
      return client
          .send(
              HttpRequest.newBuilder(URI.create(api + path)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private void await(String what, Check check, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      try {
        if (process.isAlive() && check.ok()) {
          return;
        }
      } catch (Exception notYet) {
        // retried until the timeout
      }
      Thread.sleep(250);
    }
    String log;
    try {
      log = Files.readString(dir.resolve("prometheus.log"));
    } catch (IOException e) {
      log = e.toString();
    }
    close();
    throw new IllegalStateException("timed out waiting for " + what + "; Prometheus said:\n" + log);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      AppServer.deleteTree(dir);
    } catch (IOException e) {
      // a temporary directory
    }
  }
}
