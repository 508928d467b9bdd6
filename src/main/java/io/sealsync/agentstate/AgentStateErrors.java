package io.sealsync.agentstate;

import io.sealsync.billing.InsufficientCreditsException;
import io.sealsync.platform.JsonFactory;
import io.sealsync.platform.db.DatabaseFailures;
import io.sealsync.platform.errors.ApiExceptionMapper;
import io.sealsync.platform.observability.RequestObservation;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one rendering of agent-state errors (§4, §14): {@code {"error":"<code>"}} (+ {@code
 * conflicts}) with the code's status from {@link AgentStateError}. Protocol errors are answered as
 * they are; for a request inside the protocol, insufficient credits are {@code 402}, a transient
 * database failure {@code 503} with {@code Retry-After} and the route's code (the clients retry
 * it), anything else the route's {@code 500} code. Failures of requests outside the protocol go to
 * {@link ApiExceptionMapper} unchanged.
 */
@Provider
public class AgentStateErrors implements ExceptionMapper<RuntimeException> {
  private static final Logger LOG = Logger.getLogger(AgentStateErrors.class.getName());
  static final String JSON = "application/json";

  private static final ApiExceptionMapper OTHERS = new ApiExceptionMapper();

  @Inject AgentStateExchange exchange;

  @Override
  public Response toResponse(RuntimeException e) {
    if (!(e instanceof AgentStateException) && !exchange.active()) {
      return OTHERS.toResponse(e);
    }
    return respond(e, exchange);
  }

  /**
   * The answer to a failure of an agent-state request (also of {@link AgentStateFallbackFilter}).
   */
  static Response respond(RuntimeException e, AgentStateExchange exchange) {
    if (e instanceof AgentStateException protocol) {
      return render(protocol);
    }
    if (e instanceof InsufficientCreditsException) {
      return render(AgentStateError.INSUFFICIENT_CREDITS.exception());
    }
    if (e instanceof NotFoundException || e instanceof NotAllowedException) {
      // Unreachable while AgentStateGate routes first; the protocol's answer all the same (§2.2).
      return render(AgentStateError.ROUTE_NOT_FOUND.exception());
    }
    AgentStateRoute route = exchange.route();
    AgentStateError failure =
        e instanceof AgentStateAuthenticator.TransientLookupFailure lookup
            ? lookup.failed()
            : route == null ? AgentStateError.INTERNAL_ERROR : route.endpoint().failure();
    AgentStateRequest request = exchange.request();
    String what = "agent-state " + request.method() + " " + request.rawPath();
    if (DatabaseFailures.isTransient(e)) {
      // Not the client's fault and not a bug: the clients retry a 503 (agent-state.md §14).
      RequestObservation.errorCode("agent-state", failure.code());
      RequestObservation.cause("transient database failure: " + e);
      return Response.status(503)
          .entity(AgentStateJson.write(AgentStateJson.error(failure.code())))
          .type(JSON)
          .header("Retry-After", DatabaseFailures.RETRY_AFTER_SECONDS)
          .build();
    }
    LOG.log(
        Level.SEVERE,
        what + " failed: " + failure.code() + " request-id=" + RequestObservation.requestId(),
        e);
    return render(failure.exception());
  }

  /**
   * The protocol's answer to a request the application server refused with {@code status} before
   * any agent-state code ran (io.sealsync.platform.errors.ErrorEnvelopeServlet): a code of the
   * protocol whose status says the same. This protocol has no 405 (§2.2) and no code for a
   * malformed request target but {@code bad_agent_id} (§2.4).
   */
  public static Response forStatus(int status) {
    AgentStateError error =
        switch (status) {
          case 401 -> AgentStateError.MISSING_OR_INVALID_BEARER_TOKEN;
          case 404, 405, 501 -> AgentStateError.ROUTE_NOT_FOUND;
          case 413 -> AgentStateError.REQUEST_TOO_LARGE;
          case 429 -> AgentStateError.RATE_LIMITED;
          default -> status >= 500 ? AgentStateError.INTERNAL_ERROR : AgentStateError.BAD_AGENT_ID;
        };
    return render(error.exception());
  }

  static Response render(AgentStateException e) {
    RequestObservation.errorCode("agent-state", e.code());
    JsonObjectBuilder b = JsonFactory.object().add("error", e.code());
    if (e.conflicts() != null) {
      b.add("conflicts", e.conflicts());
    }
    Response.ResponseBuilder r =
        Response.status(e.status()).entity(AgentStateJson.write(b.build())).type(JSON);
    if (e.retryAfterSeconds() > 0) {
      r.header("Retry-After", e.retryAfterSeconds());
    }
    return r.build();
  }
}
