package io.sealsync.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.billing.CreditArithmetic.Balance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CreditArithmeticTest {

  /** Section 4 of agent-state-vectors.txt. */
  @ParameterizedTest
  @CsvSource({
    "0,0",
    "1,1",
    "22,1",
    "23,2",
    "100,5",
    "1024,47",
    "4096,185",
    "64997,2925",
    "65536,2950",
    "262144,11797"
  })
  void priceMatchesTheVectors(long bytes, long milli) {
    assertEquals(milli, CreditArithmetic.price(bytes));
  }

  @Test
  void priceEqualsTheReferenceCeilingUpToOneMebibyte() {
    for (long n = 0; n <= 1_048_576; n++) {
      assertEquals((long) Math.ceil(n * 0.045), CreditArithmetic.price(n), "n=" + n);
    }
  }

  /** Section 5 of agent-state-vectors.txt. */
  @Test
  void debitMatchesTheVectors() {
    assertEquals(
        new Balance(9, 37), CreditArithmetic.debit(new Balance(10, 990), 47).orElseThrow());
    assertEquals(
        new Balance(89, 797), CreditArithmetic.debit(new Balance(100, 0), 11797).orElseThrow());
  }

  @Test
  void anAccountWithoutCreditsAccruesAtMost999MilliOfDebt() {
    assertEquals(new Balance(0, 999), CreditArithmetic.debit(new Balance(0, 0), 999).orElseThrow());
    assertTrue(CreditArithmetic.debit(new Balance(0, 999), 1).isEmpty());
    assertTrue(CreditArithmetic.debit(new Balance(0, 0), 1000).isEmpty());
  }

  @Test
  void insufficientCreditsChangesNothing() {
    assertTrue(CreditArithmetic.debit(new Balance(10, 500), 10_500).isEmpty());
    assertEquals(
        new Balance(0, 999), CreditArithmetic.debit(new Balance(10, 500), 10_499).orElseThrow());
  }

  @Test
  void negativeAmountsAreRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> CreditArithmetic.debit(new Balance(1, 0), -1));
    assertThrows(IllegalArgumentException.class, () -> CreditArithmetic.price(-1));
  }

  @Test
  void depositAddsWholeCentsAndKeepsTheOwedRemainder() {
    assertEquals(new Balance(150, 37), CreditArithmetic.deposit(new Balance(50, 37), 100));
  }
}
