package io.sealsync.agentstate;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.Provider;
import java.net.URI;

/**
 * The protocol's entry in JAX-RS (§2), before resource matching: the protocol authenticates before
 * it routes (§2.3) and answers a wrong method, {@code HEAD} and {@code OPTIONS} included, with
 * {@code 404 route_not_found} (§2.2), where JAX-RS matching would answer 404 or 405 unauthenticated
 * or serve {@code HEAD} and {@code OPTIONS} itself. {@link AgentStateGate} admits the request; then
 * the request URI becomes the route's path under {@link AgentStateResource}, the §2.1 normalization
 * (any number of prefixes in any order, empty segments) done once, so that every runtime matches
 * the same resource method.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class AgentStateEntryFilter implements ContainerRequestFilter {
  @Inject AgentStateGate gate;

  @Override
  public void filter(ContainerRequestContext context) {
    UriInfo uri = context.getUriInfo();
    String rawPath = uri.getPath(false);
    if (!AgentStateFallbackFilter.covers(rawPath.startsWith("/") ? rawPath : "/" + rawPath)) {
      return;
    }
    URI base = uri.getBaseUri();
    AgentStateRoute route =
        gate.admit(
            new AgentStateRequest(
                context.getMethod(),
                rawPath,
                name -> uri.getQueryParameters(true).getFirst(name),
                base,
                context.getHeaderString(HttpHeaders.AUTHORIZATION)));
    String query = uri.getRequestUri().getRawQuery();
    context.setRequestUri(
        base,
        URI.create(
            base
                + AgentStateResource.PATH
                + "/"
                + route.resourcePath()
                + (query == null ? "" : "?" + query)));
  }
}
