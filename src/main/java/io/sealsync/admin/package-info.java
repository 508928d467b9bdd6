/**
 * The operator API under {@code /admin/tenants}: paying accounts with their tenants, their live API
 * keys and their credits. The container protects every {@code /admin/*} path (web.xml: role {@code
 * sealsync-admin}, BASIC against the server's realm); errors use the {@code {"error","message"}}
 * envelope of {@link io.sealsync.platform.errors.ApiExceptionMapper}.
 *
 * <p>Entry point: {@link io.sealsync.admin.AdminResource} (request parsing and validation), with
 * response records in {@link io.sealsync.admin.AdminViews}. Transactions:
 *
 * <ul>
 *   <li>{@link io.sealsync.admin.AdminService#createAccount} — one transaction inserting the
 *       account and its tenant, under {@code
 *       pg_advisory_xact_lock(hashtextextended('sealsync.account-name:' || lower(name), 0))} so
 *       that two operators creating one name get one row and one {@code 409 name_taken};
 *   <li>key issue and revoke — one transaction each in {@link io.sealsync.security.ApiKeys};
 *   <li>credits — {@link io.sealsync.billing.BillingService#deposit}, one transaction locking the
 *       account row ({@code SELECT … FOR UPDATE}) and writing a ledger row;
 *   <li>reads ({@code find}, key list, ledger) take no lock.
 * </ul>
 *
 * <p>Each write runs through {@link io.sealsync.admin.audit.OperatorActions}, which opens the one
 * transaction the services above join and records the action in the audit log inside it. The tenant
 * list and ledger pages read with plain JDBC ({@link io.sealsync.admin.AdminDatabase}), outside
 * transactions; paging parameters are checked by {@link io.sealsync.admin.Paging}. The console's
 * views live in the sub-packages {@code console}, {@code agentstate}, {@code rowsync} and {@code
 * audit}.
 *
 * <p>Row-sync server writes for integrations live under {@code /admin/rowsync/…} in {@link
 * io.sealsync.admin.rowsync.ServerWritesResource}; like every {@code /admin} route, they answer
 * errors in the operator envelope of {@code platform.errors}.
 */
package io.sealsync.admin;
