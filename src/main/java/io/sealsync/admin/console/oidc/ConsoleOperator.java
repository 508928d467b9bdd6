package io.sealsync.admin.console.oidc;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.time.Instant;
import java.util.Optional;

/**
 * An operator signed in to the console through OpenID Connect, kept in the HTTP session: the name
 * the operator API's bearer tokens give the same person ({@code sealsync.admin.jwt.user-claim}),
 * the ID token (the {@code id_token_hint} of the provider's logout) and when. Only operators with
 * the admin role are ever stored.
 */
public record ConsoleOperator(String name, String idToken, Instant signedIn)
    implements Serializable {
  public static final String ATTRIBUTE = "io.sealsync.console.oidc.operator";

  /** The session's operator, without creating a session. */
  public static Optional<ConsoleOperator> of(HttpServletRequest req) {
    HttpSession session = req.getSession(false);
    if (session == null) {
      return Optional.empty();
    }
    try {
      return session.getAttribute(ATTRIBUTE) instanceof ConsoleOperator o
          ? Optional.of(o)
          : Optional.empty();
    } catch (IllegalStateException invalidated) {
      return Optional.empty();
    }
  }
}
