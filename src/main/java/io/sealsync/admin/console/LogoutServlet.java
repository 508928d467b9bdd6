package io.sealsync.admin.console;

import io.sealsync.admin.console.oidc.ConsoleOperator;
import io.sealsync.admin.console.oidc.OidcProvider;
import io.sealsync.platform.errors.TraceRefusingServlet;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;

/**
 * {@code /console/logout}: ends the HTTP session (if any) and shows the signed-out page. Not behind
 * the role (web.xml), so that signing out never asks for credentials. With BASIC authentication the
 * browser keeps sending the credentials it holds until it is closed; the page says so. An operator
 * signed in through OpenID Connect is then sent to the provider's logout ({@code
 * end_session_endpoint}, with the ID token as hint), which returns the browser to the signed-out
 * page; so the next visit asks for the provider's login again.
 */
@WebServlet(urlPatterns = "/console/logout")
public class LogoutServlet extends TraceRefusingServlet {
  @Inject OidcProvider oidc;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    Optional<ConsoleOperator> operator = ConsoleOperator.of(req);
    HttpSession session = req.getSession(false);
    if (session != null) {
      session.invalidate();
    }
    Optional<URI> providerLogout =
        operator.isPresent() && oidc.enabled()
            ? oidc.logout(operator.get().idToken(), oidc.base(req) + "/console/signed-out.html")
            : Optional.empty();
    if (providerLogout.isPresent()) {
      res.setHeader("Cache-Control", "no-store");
      res.sendRedirect(providerLogout.get().toString());
      return;
    }
    try {
      req.logout();
    } catch (jakarta.servlet.ServletException | RuntimeException notSupported) {
      // Nothing to end for a container that keeps no login state (BASIC).
    }
    res.setContentType("text/html;charset=UTF-8");
    res.setHeader("Cache-Control", "no-store");
    try (InputStream in = getServletContext().getResourceAsStream("/console/signed-out.html")) {
      in.transferTo(res.getOutputStream());
    }
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
    doGet(req, res);
  }
}
