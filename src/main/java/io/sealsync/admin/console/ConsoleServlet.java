package io.sealsync.admin.console;

import io.sealsync.platform.errors.TraceRefusingServlet;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Serves the console's files (the WAR's {@code /console/} folder). Needed because the REST
 * application owns the context root ({@code /*}), so the container's default servlet never sees
 * these paths; a longer servlet mapping wins over it.
 */
@WebServlet(urlPatterns = "/console/*")
public class ConsoleServlet extends TraceRefusingServlet {
  private static final Pattern NAME = Pattern.compile("(?:[a-z0-9-]+/)*[a-z0-9-]+\\.[a-z]{2,4}");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html;charset=UTF-8",
          "js", "text/javascript;charset=UTF-8",
          "css", "text/css;charset=UTF-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon");

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String path = req.getPathInfo();
    if (path == null) {
      res.sendRedirect(req.getContextPath() + "/console/");
      return;
    }
    String name = path.equals("/") ? "index.html" : path.substring(1);
    String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
    if (!NAME.matcher(name).matches() || type == null) {
      res.sendError(404);
      return;
    }
    try (InputStream in = getServletContext().getResourceAsStream("/console/" + name)) {
      if (in == null) {
        res.sendError(404);
        return;
      }
      res.setContentType(type);
      // Small files, revalidated on every load: a new WAR is seen at once.
      res.setHeader("Cache-Control", "no-cache");
      in.transferTo(res.getOutputStream());
    }
  }
}
