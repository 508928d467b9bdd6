/**
 * What an operator sees of the running server: metrics, traces and request ids.
 *
 * <ul>
 *   <li>Metrics: one registry inside the application, served at {@code /metrics}, labelled by route
 *       template, never by tenant, user, key or session id.
 *   <li>Traces: {@link io.sealsync.platform.observability.Tracing} opens one server span per
 *       request ({@link io.sealsync.platform.observability.RequestSpan}), continuing the caller's
 *       W3C {@code traceparent}, and sends spans over OTLP/HTTP when {@code
 *       sealsync.tracing.otlp.endpoint} is set; off by default. The application's own OpenTelemetry
 *       SDK, never the global one.
 *   <li>Request ids: every answer carries one (the trace id when tracing is on), so that a client's
 *       report can be found in the logs and traces.
 * </ul>
 */
package io.sealsync.platform.observability;
