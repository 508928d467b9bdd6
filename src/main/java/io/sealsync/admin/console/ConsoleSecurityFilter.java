package io.sealsync.admin.console;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * The console's and the operator API's browser defences.
 *
 * <p>Every response under {@code /console/} and {@code /admin/} carries a strict
 * Content-Security-Policy: scripts, styles and data from this origin only, no inline code, no
 * framing.
 *
 * <p>Cross-site request forgery: a browser that holds an operator's credentials (BASIC, a session
 * cookie, SSO) sends them with any request a foreign page makes it send. A state-changing {@code
 * /admin/} request that comes from a browser (it has a browser's {@code User-Agent}, an {@code
 * Origin}, {@code Sec-Fetch-*} or {@code Cookie} header, which a foreign page cannot suppress) must
 * therefore carry the header {@value #HEADER}, which a foreign page cannot set without a CORS
 * preflight this server never grants, and must not be marked cross-site by {@code Sec-Fetch-Site}.
 * Scripts ({@code curl}, HTTP libraries) send none of those browser headers and need nothing; they
 * may send {@value #HEADER} too.
 *
 * <p>Who may see the console is decided here too ({@link ConsoleGate}), after the headers are set,
 * so that refusals and redirects carry them as well.
 */
@WebFilter(
    urlPatterns = {"/console/*", "/admin/*"},
    asyncSupported = true)
public class ConsoleSecurityFilter extends HttpFilter {
  public static final String HEADER = "X-Sealsync-Request";

  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self';"
          + " frame-ancestors 'none'";

  @Inject ConsoleGate gate;

  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  private static final byte[] REFUSED =
      ("{\"error\":\"csrf_check_failed\",\"message\":\"a state-changing request from a browser"
              + " needs the header "
              + HEADER
              + " and must come from this origin\"}")
          .getBytes(StandardCharsets.UTF_8);

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    res.setHeader("Content-Security-Policy", CSP);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "no-referrer");
    res.setHeader("X-Frame-Options", "DENY");
    String path = req.getRequestURI().substring(req.getContextPath().length());
    if (path.startsWith("/admin/")
        && !SAFE_METHODS.contains(req.getMethod().toUpperCase(Locale.ROOT))
        && !allowed(req)) {
      res.setStatus(403);
      res.setContentType("application/json");
      res.setContentLength(REFUSED.length);
      res.getOutputStream().write(REFUSED);
      return;
    }
    if (path.startsWith("/console") && !gate.admit(req, res, path)) {
      return;
    }
    chain.doFilter(req, res);
  }

  /** Whether a state-changing request is no forgery. */
  static boolean allowed(HttpServletRequest req) {
    String site = req.getHeader("Sec-Fetch-Site");
    if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
      return false;
    }
    if (!fromBrowser(req)) {
      return true;
    }
    String marker = req.getHeader(HEADER);
    return marker != null && !marker.isBlank();
  }

  static boolean fromBrowser(HttpServletRequest req) {
    String agent = req.getHeader("User-Agent");
    return agent != null && agent.startsWith("Mozilla/")
        || req.getHeader("Origin") != null
        || req.getHeader("Sec-Fetch-Site") != null
        || req.getHeader("Sec-Fetch-Mode") != null
        || req.getHeader("Cookie") != null;
  }
}
