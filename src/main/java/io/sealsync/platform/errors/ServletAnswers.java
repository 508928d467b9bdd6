package io.sealsync.platform.errors;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes an answer that one of the error renderers built ({@code AgentStateErrors}, {@code
 * SyncExceptionMapper}, {@link ApiExceptionMapper}) to a servlet response, for the requests that
 * are answered outside JAX-RS: by a servlet filter before it, or by {@link ErrorEnvelopeServlet}
 * after the container refused them.
 */
public final class ServletAnswers {
  private ServletAnswers() {}

  /** Status, headers and, unless {@code withBody} is false (HEAD), the entity. */
  public static void write(Response r, HttpServletResponse res, boolean withBody)
      throws IOException {
    res.setStatus(r.getStatus());
    for (Map.Entry<String, List<String>> h : r.getStringHeaders().entrySet()) {
      // Replaces what the container may have set already (an error page's text/html).
      for (int i = 0; i < h.getValue().size(); i++) {
        if (i == 0) {
          res.setHeader(h.getKey(), h.getValue().get(i));
        } else {
          res.addHeader(h.getKey(), h.getValue().get(i));
        }
      }
    }
    if (!withBody) {
      return;
    }
    Object entity = r.getEntity();
    if (entity instanceof String text) {
      entity = text.getBytes(StandardCharsets.UTF_8);
    }
    if (entity instanceof byte[] body) {
      res.setContentLength(body.length);
      res.getOutputStream().write(body);
    } else if (entity instanceof StreamingOutput stream) {
      stream.write(res.getOutputStream());
    }
  }
}
