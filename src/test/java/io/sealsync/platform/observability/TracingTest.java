package io.sealsync.platform.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.proto.trace.v1.Status;
import io.sealsync.testsupport.OtlpReceiver;
import io.sealsync.testsupport.OtlpReceiver.ReceivedSpan;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Server spans as a collector receives them, over real OTLP/HTTP, and tracing off. */
class TracingTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN_ID = "00f067aa0ba902b7";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-01";

  /** What the raw request target holds and a span must never show. */
  private static final String RAW_PATH = "/sync/pull/agent-7f3a-secret";

  private static final Duration WAIT = Duration.ofSeconds(10);

  private OtlpReceiver receiver;

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = new OtlpReceiver(0).start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  @Test
  void continuesTheCallersTraceWithRouteStatusAndErrorCode() {
    Tracing tracing =
        new Tracing(
            new Tracing.Settings(
                Tracing.Settings.endpoint(receiver.endpoint()),
                "sealsync-test",
                1.0,
                Map.of("x-api-key", "secret-key")));
    assertTrue(tracing.enabled());
    try {
      RequestSpan ok = tracing.start(request("GET", Map.of("traceparent", TRACEPARENT)));
      assertEquals(TRACE_ID, ok.traceId());
      ok.end("/sync/pull", 200, null);
      ok.end("/ignored", 500, "ignored"); // only the first end counts

      RequestSpan failed =
          tracing.start(request("POST", Map.of("Traceparent", TRACEPARENT, "tracestate", "a=b")));
      try (Scope ignored = failed.makeCurrent()) {
        assertEquals(failed.traceId(), Span.current().getSpanContext().getTraceId());
      }
      failed.end("/sync/push-sessions/{pushId}/commit", 503, "temporarily_unavailable");
    } finally {
      tracing.shutdown(); // exports what is queued
    }

    ReceivedSpan pull = receiver.awaitSpan(s -> s.name().equals("GET /sync/pull"), WAIT);
    assertEquals(TRACE_ID, pull.traceIdHex());
    assertEquals(CALLER_SPAN_ID, pull.parentSpanIdHex());
    assertNotEquals(CALLER_SPAN_ID, pull.spanIdHex());
    assertEquals(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER, pull.kind());
    assertEquals(
        new TreeMap<>(
            Map.of(
                "http.request.method", "GET",
                "http.route", "/sync/pull",
                "http.response.status_code", "200",
                "url.scheme", "https",
                "server.port", "8443")),
        new TreeMap<>(pull.attributes()));
    assertEquals(Status.StatusCode.STATUS_CODE_UNSET, pull.statusCode());
    assertEquals("sealsync-test", pull.serviceName());

    ReceivedSpan commit =
        receiver.awaitSpan(s -> s.name().equals("POST /sync/push-sessions/{pushId}/commit"), WAIT);
    assertEquals(TRACE_ID, commit.traceIdHex());
    assertEquals(CALLER_SPAN_ID, commit.parentSpanIdHex());
    assertEquals(Status.StatusCode.STATUS_CODE_ERROR, commit.statusCode());
    assertEquals("503", commit.attributes().get("http.response.status_code"));
    assertEquals("temporarily_unavailable", commit.attributes().get("sealsync.error_code"));
    assertEquals("503", commit.attributes().get("error.type"));
    assertEquals("a=b", commit.span().getTraceState());

    assertEquals(2, receiver.spans().size());
    for (ReceivedSpan s : receiver.spans()) {
      for (String value : s.attributes().values()) {
        assertFalse(value.contains("agent-7f3a") || value.contains("alice"), value);
      }
      assertFalse(s.name().contains("agent-7f3a"), s.name());
    }
    assertEquals(List.of("secret-key"), receiver.requestHeaders().get(0).get("x-api-key"));
  }

  @Test
  void startsANewTraceWithoutAValidTraceparent() {
    Tracing tracing = new Tracing(settings(receiver.endpoint(), 1.0));
    try {
      RequestSpan span = tracing.start(request("BREW", Map.of("traceparent", "00-zz-11-01")));
      assertTrue(span.traceId().matches("[0-9a-f]{32}"), span.traceId());
      span.end("unmatched", 405, null);
    } finally {
      tracing.shutdown();
    }
    ReceivedSpan got = receiver.awaitSpan(s -> true, WAIT);
    assertNull(got.parentSpanIdHex());
    // An unknown method is never recorded as sent.
    assertEquals("HTTP unmatched", got.name());
    assertEquals("_OTHER", got.attributes().get("http.request.method"));
    assertEquals(Status.StatusCode.STATUS_CODE_UNSET, got.statusCode());
  }

  @Test
  void aSampledOutSpanStillHasATraceIdButIsNotSent() {
    Tracing tracing = new Tracing(settings(receiver.endpoint(), 0.0));
    try {
      RequestSpan span = tracing.start(request("GET", Map.of()));
      assertTrue(span.traceId().matches("[0-9a-f]{32}"), span.traceId());
      span.end("/sync/pull", 200, null);
      // The caller's decision wins over the ratio.
      tracing
          .start(request("GET", Map.of("traceparent", TRACEPARENT)))
          .end("/sync/pull", 200, null);
    } finally {
      tracing.shutdown();
    }
    // Shutdown returned once the queue was exported: nothing more comes.
    ReceivedSpan got = receiver.awaitSpan(s -> true, WAIT);
    assertEquals(TRACE_ID, got.traceIdHex());
    assertEquals(1, receiver.spans().size());
  }

  @Test
  void offWithoutAnEndpoint() {
    Tracing tracing =
        new Tracing(Tracing.Settings.read(key -> Optional.empty())); // nothing configured
    assertFalse(tracing.enabled());
    assertTrue(tracing.describe().startsWith("Tracing: off"), tracing.describe());
    // The request is not even read.
    HttpServletRequest untouchable =
        (HttpServletRequest)
            Proxy.newProxyInstance(
                HttpServletRequest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> {
                  throw new AssertionError("read " + method.getName());
                });
    RequestSpan span = tracing.start(untouchable);
    assertSame(RequestSpan.NONE, span);
    assertNull(span.traceId());
    span.end("/sync/pull", 200, null);
    try (Scope ignored = span.makeCurrent()) {
      assertFalse(Span.current().getSpanContext().isValid());
    }
    tracing.shutdown();
  }

  @Test
  void readsTheSettings() {
    Map<String, String> config =
        Map.of(
            "sealsync.tracing.otlp.endpoint", "http://collector:4318/",
            "sealsync.tracing.service-name", " sync-eu ",
            "sealsync.tracing.sample-ratio", "0.25",
            "sealsync.tracing.otlp.headers",
                "x-api-key = a+b/c== , Authorization=Basic%20dXNlcjpwdw==,");
    Tracing.Settings s = Tracing.Settings.read(key -> Optional.ofNullable(config.get(key)));
    assertEquals("http://collector:4318/v1/traces", s.tracesUrl());
    assertEquals("sync-eu", s.serviceName());
    assertEquals(0.25, s.sampleRatio());
    assertEquals(
        Map.of("x-api-key", "a+b/c==", "Authorization", "Basic dXNlcjpwdw=="), s.headers());
    assertTrue(s.enabled());

    Tracing.Settings defaults = Tracing.Settings.read(key -> Optional.empty());
    assertFalse(defaults.enabled());
    assertEquals("sealsync", defaults.serviceName());
    assertEquals(1.0, defaults.sampleRatio());
    assertEquals(Map.of(), defaults.headers());

    // A full traces URL is taken as it is.
    assertEquals(
        "https://otlp.example.com/v1/traces",
        settings("https://otlp.example.com/v1/traces/", 1).tracesUrl());
    assertEquals(
        "http://collector:4318/otlp/v1/traces",
        settings("http://collector:4318/otlp", 1).tracesUrl());
  }

  @Test
  void refusesBadSettings() {
    for (String endpoint :
        List.of("collector:4318", "ftp://collector", "http://", "http://u:p@collector:4318")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Tracing.Settings.endpoint(endpoint));
      assertTrue(e.getMessage().startsWith("sealsync.tracing.otlp.endpoint"), e.getMessage());
      assertFalse(e.getMessage().contains("u:p"), e.getMessage());
    }
    for (String ratio : List.of("1.5", "-0.1", "NaN", "half")) {
      assertThrows(
          IllegalArgumentException.class,
          () ->
              Tracing.Settings.read(
                  key ->
                      Optional.ofNullable(
                          key.equals("sealsync.tracing.sample-ratio") ? ratio : null)));
    }
    for (String headers : List.of("x-api-key", "=v", "bad name=v", "k=%zz")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Tracing.Settings.headers(headers));
      assertFalse(e.getMessage().contains("zz"), e.getMessage());
    }
  }

  private static Tracing.Settings settings(String endpoint, double ratio) {
    return new Tracing.Settings(Tracing.Settings.endpoint(endpoint), "sealsync", ratio, Map.of());
  }

  /**
   * A request over HTTPS to port 8443 whose raw target holds an agent id and a user name: only the
   * methods a span may use answer, the raw path and query included, so that the test sees if they
   * leak.
   */
  private static HttpServletRequest request(String method, Map<String, String> headers) {
    Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    byName.putAll(headers);
    return (HttpServletRequest)
        Proxy.newProxyInstance(
            HttpServletRequest.class.getClassLoader(),
            new Class<?>[] {HttpServletRequest.class},
            (proxy, m, args) ->
                switch (m.getName()) {
                  case "getHeader" -> byName.get((String) args[0]);
                  case "getHeaders" ->
                      Collections.enumeration(
                          byName.containsKey((String) args[0])
                              ? List.of(byName.get((String) args[0]))
                              : List.of());
                  case "getHeaderNames" -> Collections.enumeration(byName.keySet());
                  case "getMethod" -> method;
                  case "getScheme" -> "https";
                  case "getServerPort" -> 8443;
                  case "getRequestURI" -> RAW_PATH;
                  case "getQueryString" -> "user=alice";
                  case "getRequestURL" -> new StringBuffer("https://h:8443" + RAW_PATH);
                  case "toString" -> "request " + method;
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  default -> throw new UnsupportedOperationException(m.getName());
                });
  }
}
