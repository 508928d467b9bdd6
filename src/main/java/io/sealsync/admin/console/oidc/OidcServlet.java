package io.sealsync.admin.console.oidc;

import io.sealsync.admin.console.ConsolePages;
import io.sealsync.platform.errors.TraceRefusingServlet;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * The console's OpenID Connect sign-in: {@code /console/login} starts the authorization code flow
 * with PKCE (state, nonce and verifier kept in the HTTP session), {@code /console/callback} takes
 * the provider's answer, and on success stores the operator in a session with a new id. Both are
 * reachable without credentials (the console's gate lets them through).
 */
@WebServlet(urlPatterns = {OidcServlet.LOGIN, OidcServlet.CALLBACK})
public class OidcServlet extends TraceRefusingServlet {
  private static final Logger LOG = Logger.getLogger(OidcServlet.class.getName());

  public static final String LOGIN = "/console/login";
  public static final String CALLBACK = "/console/callback";

  @Inject OidcProvider provider;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    res.setHeader("Cache-Control", "no-store");
    if (!provider.enabled()) {
      // Nothing to sign in with here: the console asks for the registry's credentials itself.
      res.sendRedirect(req.getContextPath() + "/console/");
      return;
    }
    String redirectUri = provider.base(req) + CALLBACK;
    try {
      if (req.getServletPath().equals(LOGIN)) {
        PendingLogin login = provider.newLogin();
        String to = provider.authorizationRequest(login, redirectUri).toString();
        req.getSession(true).setAttribute(PendingLogin.ATTRIBUTE, login);
        res.sendRedirect(to);
      } else {
        callback(req, res, redirectUri);
      }
    } catch (OidcProvider.Refused r) {
      ConsolePages.show(
          req, res, r.status(), title(r.status()), r.getMessage(), LOGIN, "Sign in again");
    }
  }

  private void callback(HttpServletRequest req, HttpServletResponse res, String redirectUri)
      throws IOException, OidcProvider.Refused {
    HttpSession session = req.getSession(false);
    PendingLogin login =
        session != null && session.getAttribute(PendingLogin.ATTRIBUTE) instanceof PendingLogin p
            ? p
            : null;
    if (login != null) {
      // One answer per login: a second callback with the same values is refused.
      session.removeAttribute(PendingLogin.ATTRIBUTE);
    }
    String state = req.getParameter("state");
    if (login == null || state == null || !login.answers(state, Instant.now())) {
      LOG.info("Console sign-in refused: the callback's state is not this browser's sign-in");
      throw new OidcProvider.Refused(
          400, "This sign-in answer does not belong to a sign-in started in this browser.");
    }
    String error = req.getParameter("error");
    if (error != null) {
      throw new OidcProvider.Refused(
          401,
          "The identity provider did not sign you in ("
              + (error.matches("[a-z_]{1,64}") ? error : "error")
              + ").");
    }
    String code = req.getParameter("code");
    if (code == null || code.isBlank()) {
      throw new OidcProvider.Refused(400, "The identity provider's answer has no code.");
    }
    ConsoleOperator operator = provider.signIn(code, login, redirectUri);
    // A new session id at sign-in: an id planted in the browser before (fixation) is worthless.
    req.changeSessionId();
    session.setAttribute(ConsoleOperator.ATTRIBUTE, operator);
    LOG.info("Console: " + operator.name() + " signed in through OpenID Connect");
    res.sendRedirect(req.getContextPath() + "/console/");
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Sign-in not recognised";
      case 401 -> "Not signed in";
      case 403 -> "Not an operator";
      default -> "Sign-in unavailable";
    };
  }
}
