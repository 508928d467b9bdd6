package io.sealsync.admin.console;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;
import org.webjars.WebJarVersionLocator;

/**
 * Serves the console's files (the WAR's {@code /console/} folder). Needed because the REST
 * application owns the context root ({@code /*}), so the container's default servlet never sees
 * these paths; a longer servlet mapping wins over it.
 *
 * <p>{@code /console/swagger-ui/<file>} is Swagger UI's WebJar (WEB-INF/lib, its files under
 * META-INF/resources/webjars/swagger-ui/<version>/), for the API reference page: behind the
 * console's sign-in and its Content-Security-Policy like every console file.
 */
@WebServlet(urlPatterns = "/console/*")
public class ConsoleServlet extends HttpServlet {
  private static final Pattern NAME = Pattern.compile("(?:[a-z0-9-]+/)*[a-z0-9-]+\\.[a-z]{2,4}");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html;charset=UTF-8",
          "js", "text/javascript;charset=UTF-8",
          "css", "text/css;charset=UTF-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon");

  private static final String SWAGGER_UI = "swagger-ui/";
  private static final WebJarVersionLocator WEBJARS = new WebJarVersionLocator();

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
    String resource = resource(name);
    // Swagger UI's files are large (1.7 MB) and change only with its version: revalidated by it.
    String etag =
        name.startsWith(SWAGGER_UI) ? "\"swagger-ui-" + WEBJARS.version("swagger-ui") + "\"" : null;
    if (etag != null && resource != null && etag.equals(req.getHeader("If-None-Match"))) {
      res.setHeader("Cache-Control", "no-cache");
      res.setHeader("ETag", etag);
      res.setStatus(304);
      return;
    }
    try (InputStream in =
        resource == null ? null : getServletContext().getResourceAsStream(resource)) {
      if (in == null) {
        res.sendError(404);
        return;
      }
      res.setContentType(type);
      // Small files, revalidated on every load: a new WAR is seen at once.
      res.setHeader("Cache-Control", "no-cache");
      if (etag != null) {
        res.setHeader("ETag", etag);
      }
      in.transferTo(res.getOutputStream());
    }
  }

  /** The WAR's resource for a console file name; null for a file Swagger UI's WebJar lacks. */
  private static String resource(String name) {
    if (!name.startsWith(SWAGGER_UI)) {
      return "/console/" + name;
    }
    String path = WEBJARS.path("swagger-ui", name.substring(SWAGGER_UI.length()));
    return path == null ? null : "/webjars/" + path;
  }
}
