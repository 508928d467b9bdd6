/**
 * Identities: who a request is and which tenant or user its data belongs to.
 *
 * <ul>
 *   <li>Agent state (§ references to {@code docs/protocol/agent-state.md}): {@link
 *       io.sealsync.security.BearerToken} parses the two bearer forms (§3.1) and keeps only the
 *       token's SHA-256; {@link io.sealsync.security.ApiKeys} issues, finds, revokes and touches
 *       live keys ({@link io.sealsync.security.ApiKey}); {@link
 *       io.sealsync.security.TenantDirectory} finds tenants ({@link io.sealsync.security.Tenant})
 *       and creates a project token's tenant on its first write (§3.2, §3.5). The check order is in
 *       {@link io.sealsync.agentstate.AgentStateAuthenticator}.
 *   <li>Row sync (§ references to {@code docs/protocol/rowsync.md}): {@link
 *       io.sealsync.security.UserTokens} reads the trusted issuers from MicroProfile Config ({@code
 *       sealsync.jwt.*}), verifies user JWTs with a {@link io.sealsync.security.TokenVerifier} per
 *       issuer (shared key, public key or JWKS), which keeps the tokens it accepted in memory until
 *       they expire ({@link io.sealsync.security.VerifiedTokens}), and gives the reference host's
 *       401 texts (§3); {@link io.sealsync.rowsync.api.SyncAuthenticationFilter} applies it. {@link
 *       io.sealsync.security.OperatorTokens} uses the same verifier for operators' bearer tokens.
 * </ul>
 *
 * <p>Transactions and locks: {@code ensureProjectTenant} is {@code MANDATORY} (it joins the write
 * that needs the tenant; {@code INSERT … ON CONFLICT DO NOTHING}, no lock); {@code ApiKeys.issue}
 * and {@code revoke} are one transaction each; {@code ApiKeys.touch} runs in its own ({@code
 * REQUIRES_NEW}) and is throttled to once a minute per key; lookups join no transaction. Nothing
 * here stores a raw token in the database.
 */
package io.sealsync.security;
