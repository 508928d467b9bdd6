package io.sealsync.rowsync.api;

import io.sealsync.security.UserTokens;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.security.Principal;

/**
 * Host authentication of {@code /sync/*} (rowsync.md §3, step 1): a valid user token, or a
 * text/plain 401 before anything else is looked at. The user becomes the request's principal, where
 * {@link SyncResource} takes the actor from.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class SyncAuthenticationFilter implements ContainerRequestFilter {
  @Inject UserTokens tokens;

  @Context ResourceInfo resource;

  @Override
  public void filter(ContainerRequestContext request) {
    // By the matched resource, not the path: /syncx/* is public, everything of SyncResource is not.
    if (!SyncResource.class.isAssignableFrom(resource.getResourceClass())) {
      return;
    }
    UserTokens.Result result =
        tokens.authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION));
    if (result.userId() == null) {
      request.abortWith(refused(result.refusal()));
      return;
    }
    request.setSecurityContext(new UserContext(result.userId(), request.getSecurityContext()));
  }

  /**
   * The protocol's 401: text/plain with the reference host's words. Also the answer to credentials
   * the application server refused itself (io.sealsync.platform.errors.ErrorEnvelopeServlet).
   */
  public static Response refused(UserTokens.Refusal refusal) {
    return Response.status(Response.Status.UNAUTHORIZED)
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"sealsync\"")
        .type(MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8"))
        .entity(refusal.message())
        .build();
  }

  /** The token's user; no roles: row sync has none. */
  private record UserContext(String userId, SecurityContext transport) implements SecurityContext {
    @Override
    public Principal getUserPrincipal() {
      return () -> userId;
    }

    @Override
    public boolean isUserInRole(String role) {
      return false;
    }

    @Override
    public boolean isSecure() {
      return transport != null && transport.isSecure();
    }

    @Override
    public String getAuthenticationScheme() {
      return "Bearer";
    }
  }
}
