package io.sealsync.platform.observability;

import java.util.concurrent.ThreadLocalRandom;

/**
 * What is known of the request the current thread serves, for its metrics, span and log line: its
 * id, its route template and the protocol's error code, set by whoever learns them (the JAX-RS
 * route filter, the error renderers) without passing objects through every layer. The request
 * filter opens it on the thread that enters the application and closes it when the answer is done.
 */
public final class RequestObservation {
  /** The response header with the request's id (the trace id when tracing is on). */
  public static final String REQUEST_ID_HEADER = "X-Request-Id";

  private static final ThreadLocal<RequestObservation> CURRENT = new ThreadLocal<>();

  final String requestId;
  volatile String route;
  volatile String api;
  volatile String errorCode;
  volatile String cause;

  RequestObservation(String requestId) {
    this.requestId = requestId;
  }

  static RequestObservation open(String requestId) {
    RequestObservation o = new RequestObservation(requestId);
    CURRENT.set(o);
    return o;
  }

  static void close() {
    CURRENT.remove();
  }

  /** The current request's id, or null outside a request. */
  public static String requestId() {
    RequestObservation o = CURRENT.get();
    return o == null ? null : o.requestId;
  }

  /** The route template that matched (e.g. {@code /sync/pull}); the first one set wins. */
  public static void route(String template) {
    RequestObservation o = CURRENT.get();
    if (o != null && o.route == null) {
      o.route = template;
    }
  }

  /** The error code the answer carries, of one of the APIs (agent-state, rowsync, operator). */
  public static void errorCode(String api, String code) {
    RequestObservation o = CURRENT.get();
    if (o != null) {
      o.api = api;
      o.errorCode = code;
    }
  }

  /** Why a request failed on the server's side, for its one log line. */
  public static void cause(String why) {
    RequestObservation o = CURRENT.get();
    if (o != null) {
      o.cause = why;
    }
  }

  /** A random id in the form of a W3C trace id (32 lower-case hex digits). */
  static String randomId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    String hi = Long.toHexString(r.nextLong());
    String lo = Long.toHexString(r.nextLong());
    return "0".repeat(16 - hi.length()) + hi + "0".repeat(16 - lo.length()) + lo;
  }
}
