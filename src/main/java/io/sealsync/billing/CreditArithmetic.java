package io.sealsync.billing;

import java.util.Optional;

/**
 * Exact integer account arithmetic (agent-state.md §12): {@code credits} are prepaid whole cents,
 * {@code creditsMilli} (0..999) is the owed sub-cent remainder. Nothing is refunded: a debit
 * commits or rolls back with the write it pays for.
 */
public final class CreditArithmetic {
  public static final long MILLI_PER_CENT = 1000;

  private CreditArithmetic() {}

  public record Balance(long credits, int creditsMilli) {
    public Balance {
      if (credits < 0 || creditsMilli < 0 || creditsMilli >= MILLI_PER_CENT) {
        throw new IllegalArgumentException("invalid balance " + credits + "/" + creditsMilli);
      }
    }
  }

  /** The protocol's price(n) = ceil(n * 0.045) milli-cents, exactly: (45n + 999) div 1000. */
  public static long price(long bytes) {
    return price(bytes, BillingSettings.PROTOCOL_PRICE);
  }

  /** ceil(n * rate / 1000) milli-cents for a rate in milli-cents per 1000 bytes, exactly. */
  public static long price(long bytes, long milliCentsPer1000Bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative size");
    }
    return Math.addExact(Math.multiplyExact(milliCentsPer1000Bytes, bytes), 999L) / 1000L;
  }

  /**
   * @return the new balance, or empty when the account cannot pay (nothing changes then)
   */
  public static Optional<Balance> debit(Balance b, long owedMilli) {
    if (owedMilli < 0) {
      throw new IllegalArgumentException("invalid_owed_milli");
    }
    long total = b.creditsMilli() + owedMilli;
    long burn = total / MILLI_PER_CENT;
    long newMilli = total - burn * MILLI_PER_CENT;
    if (b.credits() < burn) {
      return Optional.empty();
    }
    return Optional.of(new Balance(b.credits() - burn, (int) newMilli));
  }

  /** Whole cents added by a deposit; the owed remainder stays owed. */
  public static Balance deposit(Balance b, long cents) {
    if (cents <= 0) {
      throw new IllegalArgumentException("deposit must be positive");
    }
    return new Balance(Math.addExact(b.credits(), cents), b.creditsMilli());
  }
}
