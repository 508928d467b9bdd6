package io.sealsync.platform.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.OtlpReceiver;
import io.sealsync.testsupport.TraceReceiverSession;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test servers export their spans to a real OTLP/HTTP receiver ({@link TraceReceiverSession}):
 * a caller's trace goes on in the server's span, named by the route, with the outcome, and the
 * answer's request id is the trace id.
 */
@ExtendWith(ArquillianExtension.class)
class TracingIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;

  @Test
  void theCallersTraceContinuesInTheServersSpan() throws Exception {
    OtlpReceiver receiver = TraceReceiverSession.receiver();
    assertNotNull(receiver, "no OTLP receiver in this test JVM");
    HexFormat hex = HexFormat.of();
    byte[] t = new byte[16];
    byte[] p = new byte[8];
    ThreadLocalRandom.current().nextBytes(t);
    ThreadLocalRandom.current().nextBytes(p);
    String traceId = hex.formatHex(t);
    String parentId = hex.formatHex(p);
    // A push session that does not exist: the span carries the route and the protocol's code.
    String pushId = java.util.UUID.randomUUID().toString();
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(base.toString().replaceAll("/$", ""))
                            .resolve("/sync/push-sessions/" + pushId + "/commit"))
                    .header("traceparent", "00-" + traceId + "-" + parentId + "-01")
                    .header("Authorization", "Bearer not-a-valid-token")
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(401, r.statusCode());
    assertEquals(
        traceId, r.headers().firstValue(RequestObservation.REQUEST_ID_HEADER).orElse(null));

    OtlpReceiver.ReceivedSpan span =
        receiver.awaitSpan(s -> s.traceIdHex().equals(traceId), Duration.ofSeconds(30));
    assertEquals(parentId, span.parentSpanIdHex());
    assertEquals(Span.SpanKind.SPAN_KIND_SERVER, span.kind());
    assertEquals("POST /sync/push-sessions/{pushId}/commit", span.name());
    assertEquals("/sync/push-sessions/{pushId}/commit", span.attributes().get("http.route"));
    assertEquals("401", span.attributes().get("http.response.status_code"));
    assertEquals("sealsync", span.serviceName());
    assertEquals(Status.StatusCode.STATUS_CODE_UNSET, span.statusCode());
    // Nothing of the raw path (ids, user data) in the span.
    assertFalse(span.span().toString().contains(pushId), span.span().toString());

    // A trace the server starts: the request id is its trace id.
    HttpResponse<String> fresh =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(base.toString().replaceAll("/$", "") + "/sync/capabilities"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    String id = fresh.headers().firstValue(RequestObservation.REQUEST_ID_HEADER).orElseThrow();
    OtlpReceiver.ReceivedSpan root =
        receiver.awaitSpan(s -> s.traceIdHex().equals(id), Duration.ofSeconds(30));
    assertEquals(null, root.parentSpanIdHex());
  }
}
