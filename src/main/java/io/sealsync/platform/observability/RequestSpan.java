package io.sealsync.platform.observability;

import io.opentelemetry.context.Scope;

/**
 * The span of one request as the request filter sees it: opened by {@link Tracing#start}, ended
 * once the answer is known. An interface, so that with tracing off the filter holds {@link #NONE}
 * and nothing of the OpenTelemetry SDK exists.
 */
public interface RequestSpan {
  /** 32 lowercase hex chars: the trace id when tracing is on, else null. */
  String traceId();

  /**
   * Ends the span with the route template, the HTTP status and the protocol's error code (null on
   * success). Only the first call counts.
   */
  void end(String route, int status, String errorCode);

  /**
   * Makes the span the current one on this thread (for spans of work done inside the request);
   * close the scope on the same thread. A no-op scope when tracing is off.
   */
  default Scope makeCurrent() {
    return Scope.noop();
  }

  /** No span: tracing is off. */
  RequestSpan NONE =
      new RequestSpan() {
        @Override
        public String traceId() {
          return null;
        }

        @Override
        public void end(String route, int status, String errorCode) {}

        @Override
        public String toString() {
          return "RequestSpan.NONE";
        }
      };
}
