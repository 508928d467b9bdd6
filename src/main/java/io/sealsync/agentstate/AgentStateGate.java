package io.sealsync.agentstate;

import io.sealsync.security.ApiKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Admits an agent-state request in the protocol's order (§2.3, §3.4): authentication, the
 * per-tenant limit (D19), the route (§2.2: a wrong method is {@code 404 route_not_found}, as an
 * unknown path), then the route's scope (D16). Any refusal is an exception for {@link
 * AgentStateErrors}.
 */
@ApplicationScoped
public class AgentStateGate {
  @Inject AgentStateAuthenticator authenticator;
  @Inject AgentStateLimits limits;
  @Inject AgentStateExchange exchange;

  public AgentStateRoute admit(AgentStateRequest request) {
    exchange.begin(request);
    AgentStateCaller caller = authenticator.authenticate(request.authorization());
    long retryAfter = limits.acquire(caller.tenantLabel());
    if (retryAfter > 0) {
      throw AgentStateError.RATE_LIMITED.exception(retryAfter);
    }
    AgentStateRoute route = AgentStateRoute.resolve(request.method(), request.rawPath());
    exchange.admit(caller, route);
    String scope = route.endpoint().writes() ? ApiKey.SCOPE_WRITE : ApiKey.SCOPE_READ;
    if (!caller.hasScope(scope)) {
      throw AgentStateError.INSUFFICIENT_SCOPE.exception();
    }
    return route;
  }
}
