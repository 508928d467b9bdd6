package io.sealsync.platform;

import io.sealsync.platform.errors.TraceRefusingServlet;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Serves the OpenAPI documents of the three APIs (the WAR's {@code /api-docs/} folder, see the
 * README's "API descriptions") without authentication, so that clients can be generated from the
 * running server. Needed because the REST application owns the context root; a longer servlet
 * mapping wins.
 */
@WebServlet(urlPatterns = "/api-docs/*")
public class ApiDocsServlet extends TraceRefusingServlet {
  /** The documents, one per API; the repository's copies are the source of truth. */
  public static final Set<String> DOCUMENTS =
      Set.of("rowsync.yaml", "agent-state.yaml", "operator.yaml");

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String path = req.getPathInfo();
    String name = path == null ? "" : path.substring(1);
    InputStream found =
        DOCUMENTS.contains(name)
            ? getServletContext().getResourceAsStream("/api-docs/" + name)
            : null;
    if (found == null) {
      res.setStatus(404);
      res.setContentType("application/json");
      res.getOutputStream()
          .write(
              JsonFactory.object()
                  .add("error", "not_found")
                  .add("message", "no such API document; see /api-docs/" + DOCUMENTS)
                  .build()
                  .toString()
                  .getBytes(StandardCharsets.UTF_8));
      return;
    }
    try (InputStream in = found) {
      res.setContentType("application/yaml;charset=UTF-8");
      res.setHeader("Cache-Control", "no-cache");
      in.transferTo(res.getOutputStream());
    }
  }
}
