package io.sealsync.billing;

import io.sealsync.platform.errors.ExpectedFailure;

/** The account cannot pay: the surrounding transaction rolls back and nothing is written. */
public class InsufficientCreditsException extends RuntimeException implements ExpectedFailure {
  public InsufficientCreditsException() {
    super("insufficient_credits", null, false, false);
  }
}
