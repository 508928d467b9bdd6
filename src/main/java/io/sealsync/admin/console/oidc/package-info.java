/**
 * The console's sign-in through OpenID Connect (authorization code flow with PKCE), written in the
 * application so that it works the same on OpenLiberty, Payara and WildFly.
 *
 * <ul>
 *   <li>{@link io.sealsync.admin.console.oidc.OidcServlet} — {@code /console/login} (state, nonce
 *       and PKCE verifier into the session, redirect to the provider) and {@code /console/callback}
 *       (state check, code exchange, new session id, the operator into the session).
 *   <li>{@link io.sealsync.admin.console.oidc.OidcProvider} — settings {@code
 *       sealsync.console.oidc.*}, the discovery document, the token request, the ID token check
 *       (with {@link io.sealsync.security.TokenVerifier}) and the role decision (with {@link
 *       io.sealsync.security.OperatorTokens}).
 *   <li>{@link io.sealsync.admin.console.oidc.PendingLogin}, {@link
 *       io.sealsync.admin.console.oidc.Pkce} — the values of one sign-in.
 *   <li>{@link io.sealsync.admin.console.oidc.ConsoleOperator} — the signed-in operator in the
 *       session, which the console's gate and the operator API's filter accept.
 * </ul>
 *
 * <p>No database, no transactions.
 */
package io.sealsync.admin.console.oidc;
