package io.sealsync.admin.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The console's small answer pages for refusals and failures of signing in. */
public final class ConsolePages {
  private ConsolePages() {}

  /**
   * Answers with {@code status} and a page in the console's style; {@code message} is shown as
   * text, and a link {@code linkText} to {@code link} (below the context root) follows.
   */
  public static void show(
      HttpServletRequest req,
      HttpServletResponse res,
      int status,
      String title,
      String message,
      String link,
      String linkText)
      throws IOException {
    String root = req.getContextPath();
    String html =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            + "<title>"
            + escape(title)
            + " — Sealsync</title>\n<link rel=\"stylesheet\" href=\""
            + escape(root)
            + "/console/console.css\">\n</head>\n<body>\n<header class=\"top\">"
            + "<span class=\"brand\">Sealsync console</span></header>\n"
            + "<main id=\"refused\" data-status=\""
            + status
            + "\">\n<h1>"
            + escape(title)
            + "</h1>\n<p id=\"refused-message\">"
            + escape(message)
            + "</p>\n<p><a id=\"refused-link\" href=\""
            + escape(root + link)
            + "\">"
            + escape(linkText)
            + "</a></p>\n</main>\n</body>\n</html>\n";
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    res.setStatus(status);
    res.setContentType("text/html;charset=UTF-8");
    res.setHeader("Cache-Control", "no-store");
    res.setContentLength(body.length);
    res.getOutputStream().write(body);
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
