package io.sealsync.admin.console;

import io.sealsync.admin.OperatorAccess;
import io.sealsync.admin.OperatorAuthenticationFilter;
import io.sealsync.admin.console.oidc.ConsoleOperator;
import io.sealsync.admin.console.oidc.OidcProvider;
import io.sealsync.admin.console.oidc.OidcServlet;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.Set;

/**
 * Who may see the console ({@code /console/*}), decided by the application rather than by a
 * container security constraint, so that two sign-ins work side by side on every server:
 *
 * <ul>
 *   <li>an operator signed in through OpenID Connect ({@link ConsoleOperator} in the session);
 *   <li>the container's own authentication (BASIC against its user registry, LDAP): used when a
 *       request carries credentials for it, or when no OpenID Connect provider is configured; the
 *       caller then needs the role {@value OperatorAccess#ROLE};
 *   <li>anyone else is sent to {@code /console/login} when a provider is configured.
 * </ul>
 *
 * Outside development mode the console is served over HTTPS only, like the operator API.
 */
@ApplicationScoped
public class ConsoleGate {
  /** Console paths anyone may reach: signing in and out, and the signed-out page with its style. */
  static final Set<String> PUBLIC =
      Set.of(
          "/console/logout",
          OidcServlet.LOGIN,
          OidcServlet.CALLBACK,
          "/console/console.css",
          "/console/signed-out.html");

  /** What to do with a console request. */
  enum Decision {
    /** Serve it: a public path, or the session's operator. */
    PASS,
    /** The container authenticates the caller (BASIC), who needs the role. */
    CONTAINER,
    /** Send the browser to the OpenID Connect sign-in. */
    SIGN_IN,
    /** BASIC is turned off (sealsync.admin.basic) and there is no other way in. */
    BASIC_REFUSED,
    /** Plain HTTP outside development mode. */
    HTTPS_REQUIRED
  }

  @Inject OperatorAccess access;
  @Inject OidcProvider oidc;

  /**
   * The decision for a request to {@code path}: {@code scheme} is its Authorization header's (lower
   * case, or ""), {@code authenticated} whether the container already knows its caller.
   */
  static Decision decide(
      String path,
      boolean secure,
      boolean development,
      boolean sessionOperator,
      String scheme,
      boolean authenticated,
      boolean oidc,
      boolean basicRefused) {
    if (!secure && !development) {
      return Decision.HTTPS_REQUIRED;
    }
    if (PUBLIC.contains(path) || sessionOperator) {
      return Decision.PASS;
    }
    boolean containerCredentials = scheme.equals("basic") || authenticated;
    if (oidc && (!containerCredentials || basicRefused)) {
      return Decision.SIGN_IN;
    }
    return basicRefused ? Decision.BASIC_REFUSED : Decision.CONTAINER;
  }

  /** Lets the request through (true) or answers it (false). */
  boolean admit(HttpServletRequest req, HttpServletResponse res, String path)
      throws IOException, ServletException {
    String scheme = OperatorAuthenticationFilter.scheme(req.getHeader("Authorization"));
    Decision d =
        decide(
            path,
            req.isSecure(),
            access.development(),
            ConsoleOperator.of(req).isPresent(),
            scheme,
            req.getUserPrincipal() != null,
            oidc.enabled(),
            access.basicRefusal().isPresent());
    switch (d) {
      case PASS:
        return true;
      case HTTPS_REQUIRED:
        ConsolePages.show(
            req,
            res,
            403,
            "HTTPS required",
            "The console is served over HTTPS only (sealsync.mode is not development).",
            "/console/",
            "Console");
        return false;
      case SIGN_IN:
        res.setHeader("Cache-Control", "no-store");
        res.sendRedirect(req.getContextPath() + OidcServlet.LOGIN);
        return false;
      case BASIC_REFUSED:
        ConsolePages.show(
            req,
            res,
            401,
            "Not signed in",
            "Signing in with a user name and password is turned off: "
                + access.basicRefusal().orElse(""),
            "/console/",
            "Console");
        return false;
      default:
        return container(req, res);
    }
  }

  /**
   * The container's authentication: BASIC credentials checked by the server's user registry through
   * the programmatic login, as for the operator API; without credentials, the challenge of its
   * login configuration (web.xml: BASIC).
   */
  private boolean container(HttpServletRequest req, HttpServletResponse res)
      throws IOException, ServletException {
    String authorization = req.getHeader("Authorization");
    String[] credentials =
        OperatorAuthenticationFilter.scheme(authorization).equals("basic")
            ? OperatorAuthenticationFilter.basicCredentials(authorization)
            : null;
    Principal known = req.getUserPrincipal();
    if (credentials != null && known != null && !known.getName().equals(credentials[0])) {
      // A login cookie of an earlier answer (OpenLiberty's) names someone else than the header.
      req.logout();
      known = null;
    }
    if (known == null && credentials != null) {
      try {
        req.login(credentials[0], credentials[1]);
      } catch (ServletException wrong) {
        return notSignedIn(req, res, "Unknown user or wrong password.");
      }
    } else if (known == null) {
      try {
        if (!req.authenticate(res)) {
          return false;
        }
      } catch (ServletException refused) {
        // WildFly's BASIC mechanism fails on a method it does not know (PROPFIND, …) instead of
        // challenging.
        return notSignedIn(req, res, "Sign in with your operator account.");
      }
    }
    if (!req.isUserInRole(OperatorAccess.ROLE)) {
      ConsolePages.show(
          req,
          res,
          403,
          "Not an operator",
          "Your account does not have the role " + OperatorAccess.ROLE + ".",
          "/console/logout",
          "Sign out");
      return false;
    }
    return true;
  }

  private static boolean notSignedIn(HttpServletRequest req, HttpServletResponse res, String why)
      throws IOException {
    res.setHeader("WWW-Authenticate", "Basic realm=\"sealsync\"");
    ConsolePages.show(req, res, 401, "Not signed in", why, "/console/", "Sign in again");
    return false;
  }
}
