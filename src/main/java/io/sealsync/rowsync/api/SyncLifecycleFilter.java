package io.sealsync.rowsync.api;

import io.sealsync.rowsync.SyncException;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/** Counts in-flight sync operations and refuses new ones while the service shuts down. */
@Provider
public class SyncLifecycleFilter implements ContainerRequestFilter, ContainerResponseFilter {
  private static final String ADMITTED = SyncLifecycleFilter.class.getName() + ".admitted";

  @Inject SyncLifecycle lifecycle;

  static boolean isSyncRoute(String path) {
    return path.equals("sync") || path.startsWith("sync/");
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (!isSyncRoute(request.getUriInfo().getPath(false))) {
      return;
    }
    try {
      lifecycle.enter();
    } catch (SyncException e) {
      request.abortWith(SyncExceptionMapper.toResponse(e.error(), e.getMessage(), e));
      return;
    }
    request.setProperty(ADMITTED, Boolean.TRUE);
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (request.getProperty(ADMITTED) != null) {
      request.removeProperty(ADMITTED);
      lifecycle.exit();
    }
  }
}
