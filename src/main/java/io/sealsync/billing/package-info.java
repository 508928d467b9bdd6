/**
 * Money for the agent-state protocol: prepaid whole cents plus an owed sub-cent remainder per
 * account, charged per byte to live API keys (project tokens are free). § references in this
 * package are to {@code docs/protocol/agent-state.md}.
 *
 * <ul>
 *   <li>{@link io.sealsync.billing.CreditArithmetic} — the exact integer rules: price {@code (45·n
 *       + 999) div 1000} milli-cents (§12.1), debit, deposit (§12.2);
 *   <li>{@link io.sealsync.billing.BillingSettings} — the price per 1000 bytes ({@code
 *       sealsync.billing.price-milli-cents-per-1000-bytes}, default the protocol's 45), checked
 *       when the application starts;
 *   <li>{@link io.sealsync.billing.BillingService} — {@code debit} is {@code MANDATORY}: it joins
 *       the transaction of the write it pays for, locks the account row ({@code SELECT … FOR
 *       UPDATE}), updates the balance and inserts a {@link io.sealsync.billing.CreditLedgerEntry},
 *       so a charge commits with its write or not at all (§12.3); {@code deposit} is its own
 *       transaction with the same lock; {@code ledger} reads;
 *   <li>{@link io.sealsync.billing.InsufficientCreditsException} — rolls the caller's transaction
 *       back; {@code io.sealsync.agentstate.AgentStateErrors} answers {@code 402
 *       insufficient_credits}.
 * </ul>
 *
 * <p>Entities: {@link io.sealsync.billing.Account} (table {@code account}) and {@code
 * CreditLedgerEntry} (table {@code credit_ledger}, insert-only).
 */
package io.sealsync.billing;
