/**
 * Sealsync: one WAR serving two sync protocols over one PostgreSQL database.
 *
 * <ul>
 *   <li>{@link io.sealsync.agentstate} — the agent-state protocol (encrypted replication log and
 *       snapshot lineages), spec in {@code docs/protocol/agent-state.md};
 *   <li>{@link io.sealsync.rowsync} — row sync of registered business tables with offline-first
 *       clients, spec in {@code docs/protocol/rowsync.md};
 *   <li>{@link io.sealsync.admin} — the operator API under {@code /admin} (container role {@code
 *       sealsync-admin});
 *   <li>{@link io.sealsync.billing} — accounts, prices and the credit ledger;
 *   <li>{@link io.sealsync.security} — tenants, live API keys, agent-state bearer tokens and
 *       row-sync user JWTs;
 *   <li>{@link io.sealsync.platform} — what every route shares: JAX-RS application, request
 *       filters, JSON, database access and failure classification, migrations, health.
 * </ul>
 *
 * <p>Which call is one transaction and which lock it takes, route by route, is in {@code
 * docs/architecture.md}.
 */
package io.sealsync;
