package io.sealsync.admin;

import io.sealsync.admin.console.ConsoleSecurityFilter;
import io.sealsync.admin.console.oidc.ConsoleOperator;
import io.sealsync.platform.JsonFactory;
import io.sealsync.platform.observability.MetricsAccess;
import io.sealsync.platform.observability.RequestObservation;
import io.sealsync.security.OperatorTokens;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Authentication of the operator API ({@code /admin/*}), the same on every server: HTTPS outside
 * development mode, then either the identity provider's bearer token ({@link OperatorTokens}) or
 * BASIC credentials, which the server's own user registry checks ({@link HttpServletRequest#login},
 * portable servlet API: a basic registry, LDAP, a file realm, Elytron). The caller needs the role
 * {@value OperatorAccess#ROLE}. Refusals use the operator API's {@code {"error","message"}}
 * envelope.
 *
 * <p>The console's own calls may instead come with the session of an operator signed in through
 * OpenID Connect ({@link ConsoleOperator}), but only together with the header {@value
 * ConsoleSecurityFilter#HEADER}: a cookie alone is sent by a browser with any request a foreign
 * page makes, while that header cannot be added cross-site without a CORS preflight this server
 * never grants.
 *
 * <p>A container security constraint cannot do this: it would answer every bearer token with its
 * own 401 before any application code runs.
 */
@WebFilter(
    urlPatterns = {"/admin/*", "/metrics"},
    asyncSupported = true)
public class OperatorAuthenticationFilter extends HttpFilter {
  @Inject OperatorAccess access;
  @Inject MetricsAccess metricsAccess;

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (req.getServletPath().equals("/metrics") && metricsAccess.open(req)) {
      chain.doFilter(req, res);
      return;
    }
    if (!access.development() && !req.isSecure()) {
      // 403, not a redirect: a client that sent credentials over plain HTTP must learn so.
      refuse(
          res,
          403,
          "https_required",
          "the operator API is served over HTTPS only (sealsync.mode is not development)");
      return;
    }
    String authorization = req.getHeader("Authorization");
    String scheme = scheme(authorization);
    if (scheme.equals("bearer")) {
      Optional<OperatorTokens.Caller> caller =
          access.tokens().authenticate(authorization.substring("bearer".length()).trim());
      if (caller.isEmpty()) {
        challenge(req, res, "invalid_token", "the bearer token is not valid for the operator API");
      } else if (!caller.get().admin()) {
        refuse(res, 403, "forbidden", "the token does not carry the operator role");
      } else {
        chain.doFilter(new TokenCaller(req, caller.get().name(), "Bearer"), res);
      }
      return;
    }
    Optional<ConsoleOperator> session =
        scheme.isEmpty() ? ConsoleOperator.of(req) : Optional.empty();
    if (session.isPresent()) {
      String marker = req.getHeader(ConsoleSecurityFilter.HEADER);
      if (marker == null || marker.isBlank()) {
        challenge(
            req,
            res,
            "unauthorized",
            "a console session is an operator credential only with the header "
                + ConsoleSecurityFilter.HEADER);
      } else {
        chain.doFilter(new TokenCaller(req, session.get().name(), "OIDC"), res);
      }
      return;
    }
    Optional<String> basicRefusal = access.basicRefusal();
    if (basicRefusal.isPresent()) {
      challenge(req, res, "unauthorized", "BASIC sign-in is turned off: " + basicRefusal.get());
      return;
    }
    // Credentials come with every request: a cookie or session of an earlier answer (OpenLiberty
    // sets one on login) is no operator credential, so no other site can make a browser use it.
    if (!scheme.equals("basic")) {
      challenge(req, res, "unauthorized", "operator credentials required");
      return;
    }
    String[] credentials = basicCredentials(authorization);
    if (credentials == null) {
      challenge(req, res, "unauthorized", "malformed BASIC credentials");
      return;
    }
    Principal known = req.getUserPrincipal();
    if (known != null && !known.getName().equals(credentials[0])) {
      challenge(req, res, "unauthorized", "unknown user or wrong password");
      return;
    }
    // Some servers (WildFly) check BASIC credentials before any filter runs; the others here.
    if (known == null) {
      try {
        req.login(credentials[0], credentials[1]);
      } catch (ServletException wrong) {
        challenge(req, res, "unauthorized", "unknown user or wrong password");
        return;
      }
    }
    if (!req.isUserInRole(OperatorAccess.ROLE)) {
      refuse(res, 403, "forbidden", "the caller does not have the role " + OperatorAccess.ROLE);
      return;
    }
    chain.doFilter(req, res);
  }

  /** The lower-case authentication scheme of an Authorization header, or "". */
  public static String scheme(String authorization) {
    if (authorization == null) {
      return "";
    }
    String h = authorization.strip();
    int space = h.indexOf(' ');
    return (space < 0 ? h : h.substring(0, space)).toLowerCase(Locale.ROOT);
  }

  /** User and password of a BASIC header, or null when it is not base64 of {@code user:pass}. */
  public static String[] basicCredentials(String authorization) {
    String encoded = authorization.strip().substring("basic".length()).strip();
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      return null;
    }
    return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
  }

  private void challenge(
      HttpServletRequest req, HttpServletResponse res, String code, String message)
      throws IOException {
    // Not to the console's own calls without credentials: a browser would open its password dialog
    // over the page, where reloading the page signs in again (OpenID Connect or BASIC).
    boolean consoleCall =
        req.getHeader(ConsoleSecurityFilter.HEADER) != null
            && req.getHeader("Authorization") == null;
    if (access.basicRefusal().isEmpty() && !consoleCall) {
      res.addHeader("WWW-Authenticate", "Basic realm=\"sealsync\"");
    }
    if (access.tokens().configured()) {
      res.addHeader("WWW-Authenticate", "Bearer realm=\"sealsync\"");
    }
    refuse(res, 401, code, message);
  }

  static void refuse(HttpServletResponse res, int status, String code, String message)
      throws IOException {
    RequestObservation.errorCode("operator", code);
    byte[] body =
        JsonFactory.object()
            .add("error", code)
            .add("message", message)
            .build()
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    res.setStatus(status);
    res.setContentType("application/json");
    res.setContentLength(body.length);
    res.getOutputStream().write(body);
  }

  /**
   * The request of a caller authenticated by a bearer token or a console session, as the
   * application sees it.
   */
  private static final class TokenCaller extends HttpServletRequestWrapper {
    private final Principal principal;

    private final String type;

    TokenCaller(HttpServletRequest request, String name, String type) {
      super(request);
      this.principal = () -> name;
      this.type = type;
      // The audit reads the operator from here: CDI's request bean may be the unwrapped request.
      request.setAttribute(OperatorAccess.OPERATOR_ATTRIBUTE, name);
    }

    @Override
    public Principal getUserPrincipal() {
      return principal;
    }

    @Override
    public String getRemoteUser() {
      return principal.getName();
    }

    @Override
    public boolean isUserInRole(String role) {
      return OperatorAccess.ROLE.equals(role);
    }

    @Override
    public String getAuthType() {
      return type;
    }
  }
}
