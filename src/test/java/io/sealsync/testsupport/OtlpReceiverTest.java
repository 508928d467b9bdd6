package io.sealsync.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The test receiver against the real OTLP/HTTP exporter, so that tests can trust what it says. */
class OtlpReceiverTest {
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String PARENT_ID = "b7ad6b7169203331";

  private OtlpReceiver receiver;

  @BeforeEach
  void start() throws Exception {
    receiver = new OtlpReceiver(0).start();
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "gzip"})
  void receivesTheSpansTheSdkExports(String compression) {
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.create(
                    Attributes.of(AttributeKey.stringKey("service.name"), "receiver-test")))
            .addSpanProcessor(
                SimpleSpanProcessor.create(
                    OtlpHttpSpanExporter.builder()
                        .setEndpoint(receiver.tracesUrl())
                        .setCompression(compression)
                        .addHeader("x-api-key", "k1")
                        .setMeterProvider(MeterProvider.noop())
                        .build()))
            .build();
    try {
      Context parent =
          Context.root()
              .with(
                  Span.wrap(
                      SpanContext.createFromRemoteParent(
                          TRACE_ID, PARENT_ID, TraceFlags.getSampled(), TraceState.getDefault())));
      Span span =
          provider
              .get("test")
              .spanBuilder("GET /things/{id}")
              .setParent(parent)
              .setSpanKind(SpanKind.SERVER)
              .setAttribute("http.route", "/things/{id}")
              .setAttribute("http.response.status_code", 503L)
              .setAttribute("flag", true)
              .startSpan();
      span.setStatus(StatusCode.ERROR);
      span.end();

      OtlpReceiver.ReceivedSpan got =
          receiver.awaitSpan(s -> s.name().equals("GET /things/{id}"), Duration.ofSeconds(10));
      assertEquals(TRACE_ID, got.traceIdHex());
      assertEquals(PARENT_ID, got.parentSpanIdHex());
      assertEquals(span.getSpanContext().getSpanId(), got.spanIdHex());
      assertEquals(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER, got.kind());
      assertEquals("/things/{id}", got.attributes().get("http.route"));
      assertEquals("503", got.attributes().get("http.response.status_code"));
      assertEquals("true", got.attributes().get("flag"));
      assertEquals("receiver-test", got.serviceName());
      assertEquals(Status.StatusCode.STATUS_CODE_ERROR, got.statusCode());
      assertEquals(1, receiver.spans().size());
      assertEquals(List.of("k1"), receiver.requestHeaders().get(0).get("x-api-key"));
    } finally {
      provider.shutdown().join(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void refusesWhatItCannotRead() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI traces = URI.create(receiver.tracesUrl());
    assertEquals(
        415, post(client, traces, "application/json", "{\"resourceSpans\":[]}").statusCode());
    assertEquals(400, post(client, traces, "application/x-protobuf", "\u00ff\u00ff").statusCode());
    assertEquals(
        405,
        client
            .send(
                HttpRequest.newBuilder(traces).GET().build(), HttpResponse.BodyHandlers.ofString())
            .statusCode());
    assertEquals(
        404,
        post(client, URI.create(receiver.endpoint() + "/v1/metrics"), "application/x-protobuf", "")
            .statusCode());
    HttpResponse<String> empty = post(client, traces, "application/x-protobuf", "");
    assertEquals(200, empty.statusCode());
    assertTrue(receiver.spans().isEmpty());
  }

  private static HttpResponse<String> post(
      HttpClient client, URI uri, String contentType, String body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
