package io.sealsync.billing;

import io.sealsync.platform.Timestamps;
import io.sealsync.platform.config.FeatureSettings;
import io.sealsync.platform.observability.Metrics;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Moves money on the locked account row and records it in the ledger, inside the caller's
 * transaction: a debit commits together with the write it pays for, or not at all.
 */
@ApplicationScoped
public class BillingService {
  private static final Logger LOG = Logger.getLogger(BillingService.class.getName());

  @Inject Metrics metrics;

  @PersistenceContext(unitName = "sealsync")
  EntityManager em;

  private BillingSettings settings;

  @PostConstruct
  void init() {
    settings = FeatureSettings.read("Billing", BillingSettings::read);
  }

  /** Reads the settings at start, so that a bad value stops the deployment, not the first write. */
  void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    LOG.info("Billing: " + settings.milliCentsPer1000Bytes() + " milli-cents per 1000 bytes");
  }

  /** What a live key pays for writing {@code bytes} (agent-state.md §12.1), in milli-cents. */
  public long price(long bytes) {
    return settings.price(bytes);
  }

  /**
   * Charges {@code owedMilli}; throws {@link InsufficientCreditsException} when the account cannot
   * pay.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public CreditArithmetic.Balance debit(
      long accountId, long tenantId, long owedMilli, String reason, String requestId) {
    Account account = lock(accountId);
    CreditArithmetic.Balance after =
        CreditArithmetic.debit(account.balance(), owedMilli)
            .orElseThrow(InsufficientCreditsException::new);
    account.setBalance(after);
    em.persist(
        new CreditLedgerEntry(
            accountId, tenantId, -owedMilli, reason, requestId, after, Timestamps.now()));
    metrics.afterCommit(() -> metrics.creditsDebited(owedMilli));
    return after;
  }

  @Transactional
  public CreditArithmetic.Balance deposit(long accountId, long cents) {
    Account account = lock(accountId);
    CreditArithmetic.Balance after = CreditArithmetic.deposit(account.balance(), cents);
    account.setBalance(after);
    em.persist(
        new CreditLedgerEntry(
            accountId,
            null,
            Math.multiplyExact(cents, CreditArithmetic.MILLI_PER_CENT),
            "deposit",
            UUID.randomUUID().toString(),
            after,
            Timestamps.now()));
    return after;
  }

  private Account lock(long accountId) {
    Account account = em.find(Account.class, accountId, LockModeType.PESSIMISTIC_WRITE);
    if (account == null) {
      throw new IllegalStateException("account " + accountId + " does not exist");
    }
    return account;
  }
}
