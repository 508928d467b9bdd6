package io.sealsync.platform.observability;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names the matched JAX-RS route by its template ({@code /sync/push-sessions/{pushId}/commit}), the
 * label of the request's metrics and span: raw paths would put user data and unbounded values in
 * them. Runs first among the post-matching filters, so a request refused by authentication is still
 * counted on its route.
 */
@Provider
@Priority(1)
public class RouteTemplateFilter implements ContainerRequestFilter {
  private static final Map<Method, String> TEMPLATES = new ConcurrentHashMap<>();

  @Context ResourceInfo resource;

  @Override
  public void filter(ContainerRequestContext request) {
    Method method = resource.getResourceMethod();
    Class<?> type = resource.getResourceClass();
    if (method != null && type != null) {
      RequestObservation.route(TEMPLATES.computeIfAbsent(method, m -> template(type, m)));
    }
  }

  static String template(Class<?> type, Method method) {
    StringBuilder sb = new StringBuilder();
    append(sb, type.getAnnotation(Path.class));
    append(sb, method.getAnnotation(Path.class));
    return sb.length() == 0 ? "/" : sb.toString();
  }

  private static void append(StringBuilder sb, Path path) {
    if (path == null) {
      return;
    }
    for (String segment : path.value().split("/")) {
      if (!segment.isEmpty()) {
        // {name: regex} is labelled {name}
        int colon = segment.indexOf(':');
        sb.append('/')
            .append(
                segment.startsWith("{") && colon > 0
                    ? segment.substring(0, colon).strip() + "}"
                    : segment);
      }
    }
  }
}
