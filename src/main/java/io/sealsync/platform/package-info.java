/**
 * What both protocols and the operator API share. No protocol rule lives here, only mechanics.
 *
 * <ul>
 *   <li>{@link io.sealsync.platform.SealsyncApplication} — the JAX-RS application at the context
 *       root: the protocols fix their own paths.
 *   <li>Servlet filters on {@code /*}, before JAX-RS: {@link
 *       io.sealsync.platform.NegotiationHeaderFilter} hides a malformed {@code Accept} or {@code
 *       Content-Type}; {@link io.sealsync.platform.InvalidTargetFilter} answers a request target
 *       that is no URI (or whose escapes are no UTF-8) with {@code 400 invalid_request}, except on
 *       agent-state paths, which {@link io.sealsync.agentstate.AgentStateFallbackFilter} answers.
 *   <li>Request bodies and JSON: {@link io.sealsync.platform.BoundedBody} (size caps), {@link
 *       io.sealsync.platform.JsonBodies} (strict one-object parsing, operator API writing), {@link
 *       io.sealsync.platform.JsonFactory} (one JSON-P provider).
 *   <li>Encodings: {@link io.sealsync.platform.ForgivingBase64}, {@link io.sealsync.platform.Hex},
 *       {@link io.sealsync.platform.Sha256}, {@link io.sealsync.platform.JsNumbers} (JavaScript
 *       number parsing), {@link io.sealsync.platform.Timestamps} (the one response time format),
 *       {@link io.sealsync.platform.RequestTargets}.
 *   <li>{@link io.sealsync.platform.RateLimiter} — per-key token buckets (agent state).
 *   <li>{@link io.sealsync.platform.ServerSecrets} — keys the server generates once and shares
 *       between nodes through table {@code server_secret}; its own transaction ({@code
 *       REQUIRES_NEW}, {@code INSERT … ON CONFLICT DO NOTHING}, no lock), cached per node.
 * </ul>
 *
 * <p>Sub-packages: {@code config} (setting parsing), {@code db} (JDBC access, failure
 * classification, migrations), {@code errors} (the non-protocol error envelope), {@code health}
 * (MicroProfile Health checks).
 */
package io.sealsync.platform;
