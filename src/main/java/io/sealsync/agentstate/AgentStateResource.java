package io.sealsync.agentstate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The agent-state protocol's entry point in JAX-RS. The protocol routes by its own rules (404
 * rather than 405 for a wrong method, authentication first), so every method of every path under
 * its prefixes lands here and {@link AgentStateDispatcher} decides.
 */
@Path("{path: (?:functions|v1|v2-agent-state|v2)(?:/.*)?}")
@ApplicationScoped
public class AgentStateResource {
  @Inject AgentStateDispatcher dispatcher;

  @Context UriInfo uriInfo;
  @Context HttpHeaders headers;

  @GET
  @Operation(hidden = true)
  public Response get() {
    return dispatch("GET", null);
  }

  @POST
  @Operation(hidden = true)
  public Response post(InputStream body) {
    return dispatch("POST", body);
  }

  @PUT
  @Operation(hidden = true)
  public Response put() {
    return dispatch("PUT", null);
  }

  @DELETE
  @Operation(hidden = true)
  public Response delete() {
    return dispatch("DELETE", null);
  }

  @PATCH
  @Operation(hidden = true)
  public Response patch() {
    return dispatch("PATCH", null);
  }

  @HEAD
  @Operation(hidden = true)
  public Response head() {
    return dispatch("HEAD", null);
  }

  @OPTIONS
  @Operation(hidden = true)
  public Response options() {
    return dispatch("OPTIONS", null);
  }

  private Response dispatch(String method, InputStream body) {
    return dispatcher.dispatch(
        new AgentStateRequest(
            method,
            uriInfo.getPath(false),
            name -> uriInfo.getQueryParameters(true).getFirst(name),
            uriInfo.getBaseUri(),
            headers.getHeaderString(HttpHeaders.AUTHORIZATION),
            headers.getHeaderString(HttpHeaders.CONTENT_LENGTH),
            body));
  }
}
