/**
 * The operator console at {@code /console/} (files in the WAR's {@code console/} folder, served by
 * {@link io.sealsync.admin.console.ConsoleServlet}, since the REST application owns {@code /*}) and
 * the operator API routes of its overview.
 *
 * <ul>
 *   <li>{@link io.sealsync.admin.console.ConsoleSecurityFilter} — Content-Security-Policy on {@code
 *       /console/} and {@code /admin/}; the cross-site request forgery check on writes from
 *       browsers (header {@code X-Sealsync-Request}).
 *   <li>{@link io.sealsync.admin.console.ConsoleGate} — who may see the console: an operator signed
 *       in through OpenID Connect (sub-package {@code oidc}), or the container's BASIC sign-in with
 *       the role {@code sealsync-admin}; HTTPS outside development mode. Its refusal pages: {@link
 *       io.sealsync.admin.console.ConsolePages}; the session cookie's attributes: {@link
 *       io.sealsync.admin.console.SessionCookies}.
 *   <li>{@link io.sealsync.admin.console.LogoutServlet} — {@code /console/logout}, public; ends the
 *       session, and the provider's after an OpenID Connect sign-in.
 *   <li>{@link io.sealsync.admin.console.OverviewResource} — {@code GET /admin/overview} (health,
 *       version, database, row sync, {@link io.sealsync.admin.console.OverviewTotals}: whole-table
 *       counts at most every 10 s per node) and {@code GET /admin/metrics}.
 *   <li>{@link io.sealsync.admin.console.ConsoleMetrics} — per-minute counters of the last hour in
 *       memory, per node; fed by {@link io.sealsync.admin.console.MetricsFilter} (replicates,
 *       committed pushes, error statuses) and by {@code PullService} (pulled rows).
 * </ul>
 *
 * <p>No transactions, no locks.
 */
package io.sealsync.admin.console;
