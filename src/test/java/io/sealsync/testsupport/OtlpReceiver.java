package io.sealsync.testsupport;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP/HTTP trace receiver for tests, so that they check the spans a collector would get,
 * bytes on the wire included: {@code POST /v1/traces} with a protobuf body ({@code
 * application/x-protobuf}, gzipped or not), answered {@code 200} with an empty {@code
 * ExportTraceServiceResponse}. OTLP's JSON encoding is refused with {@code 415} (no protobuf JSON
 * parser on the test class path). Listens on 127.0.0.1 only.
 */
public final class OtlpReceiver implements AutoCloseable {
  public static final String TRACES_PATH = "/v1/traces";

  private static final String PROTOBUF = "application/x-protobuf";
  private static final HexFormat HEX = HexFormat.of();

  /**
   * One received span: its ids in lowercase hex, its attribute values as strings (integers and
   * booleans written out).
   *
   * @param parentSpanIdHex null for a root span
   * @param serviceName the resource's {@code service.name}
   * @param span the span as received
   */
  public record ReceivedSpan(
      String traceIdHex,
      String spanIdHex,
      String parentSpanIdHex,
      String name,
      Span.SpanKind kind,
      Map<String, String> attributes,
      String serviceName,
      Status.StatusCode statusCode,
      Map<String, String> resourceAttributes,
      Span span) {}

  private final int port;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final List<Map<String, List<String>>> requestHeaders = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private ExecutorService executor;

  /**
   * @param port the port on 127.0.0.1, or 0 for a free one ({@link #port()} tells which)
   */
  public OtlpReceiver(int port) {
    this.port = port;
  }

  /** Starts listening; returns this. */
  public synchronized OtlpReceiver start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    executor = Executors.newFixedThreadPool(2);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    return this;
  }

  /** The port it listens on. */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server.getAddress().getPort();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:4318}: the OTLP endpoint without the path. */
  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  /** The URL spans are posted to: {@link #endpoint()} plus {@code /v1/traces}. */
  public String tracesUrl() {
    return endpoint() + TRACES_PATH;
  }

  /** Every span received so far, in the order received. */
  public List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  /** The headers of every accepted export request (names in lower case), in order. */
  public List<Map<String, List<String>>> requestHeaders() {
    return List.copyOf(requestHeaders);
  }

  /** Forgets what was received. */
  public void clear() {
    spans.clear();
    requestHeaders.clear();
  }

  /**
   * Waits for a span matching {@code p}.
   *
   * @throws AssertionError if none came within {@code timeout}, listing what did come
   */
  public ReceivedSpan awaitSpan(Predicate<ReceivedSpan> p, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (ReceivedSpan s : spans) {
        if (p.test(s)) {
          return s;
        }
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new AssertionError(
            "no matching span within "
                + timeout
                + "; received: "
                + spans.stream()
                    .map(s -> s.name() + " " + s.attributes())
                    .collect(Collectors.joining("; ", "[", "]")));
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for a span", e);
      }
    }
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      if (!TRACES_PATH.equals(exchange.getRequestURI().getPath())) {
        answer(exchange, 404);
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        answer(exchange, 405);
        return;
      }
      String type = mediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
      if (!PROTOBUF.equals(type)) {
        // application/json included: OTLP/JSON would need protobuf-java-util's JsonFormat.
        answer(exchange, 415);
        return;
      }
      byte[] bytes = exchange.getRequestBody().readAllBytes();
      String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
      encoding = encoding == null ? "identity" : encoding.strip().toLowerCase(Locale.ROOT);
      if (encoding.equals("gzip")) {
        try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
          bytes = gzip.readAllBytes();
        } catch (IOException notGzip) {
          answer(exchange, 400);
          return;
        }
      } else if (!encoding.equals("identity") && !encoding.isEmpty()) {
        answer(exchange, 415);
        return;
      }
      ExportTraceServiceRequest request;
      try {
        request = ExportTraceServiceRequest.parseFrom(bytes);
      } catch (InvalidProtocolBufferException e) {
        answer(exchange, 400);
        return;
      }
      requestHeaders.add(headers(exchange));
      record(request);
      // A receiver that lives through a whole test run keeps only the recent past.
      trim(requestHeaders);
      trim(spans);
      byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().set("Content-Type", PROTOBUF);
      exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
      if (response.length > 0) {
        exchange.getResponseBody().write(response);
      }
    } finally {
      exchange.close();
    }
  }

  private static synchronized void trim(List<?> list) {
    if (list.size() > KEPT) {
      list.subList(0, list.size() - KEPT / 2).clear();
    }
  }

  /** How many spans (and export requests) are kept at most. */
  static final int KEPT = 4000;

  private void record(ExportTraceServiceRequest request) {
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Resource resource = rs.getResource();
      Map<String, String> resourceAttributes = attributes(resource.getAttributesList());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          spans.add(
              new ReceivedSpan(
                  hex(span.getTraceId()),
                  hex(span.getSpanId()),
                  span.getParentSpanId().isEmpty() ? null : hex(span.getParentSpanId()),
                  span.getName(),
                  span.getKind(),
                  attributes(span.getAttributesList()),
                  resourceAttributes.get("service.name"),
                  span.getStatus().getCode(),
                  resourceAttributes,
                  span));
        }
      }
    }
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
        .strip()
        .toLowerCase(Locale.ROOT);
  }

  private static Map<String, List<String>> headers(HttpExchange exchange) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
    return headers;
  }

  private static Map<String, String> attributes(List<KeyValue> keyValues) {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (KeyValue kv : keyValues) {
      attributes.put(kv.getKey(), string(kv.getValue()));
    }
    return Collections.unmodifiableMap(attributes);
  }

  private static String string(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      case INT_VALUE -> Long.toString(value.getIntValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      case BYTES_VALUE -> hex(value.getBytesValue());
      case ARRAY_VALUE ->
          value.getArrayValue().getValuesList().stream()
              .map(OtlpReceiver::string)
              .collect(Collectors.joining(",", "[", "]"));
      case KVLIST_VALUE -> attributes(value.getKvlistValue().getValuesList()).toString();
      default -> "";
    };
  }

  private static String hex(ByteString bytes) {
    return HEX.formatHex(bytes.toByteArray());
  }

  private static void answer(HttpExchange exchange, int status) throws IOException {
    exchange.getRequestBody().readAllBytes(); // what is left of it
    exchange.sendResponseHeaders(status, -1);
  }
}
