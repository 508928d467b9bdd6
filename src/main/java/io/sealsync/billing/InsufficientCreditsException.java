package io.sealsync.billing;

/** The account cannot pay: the surrounding transaction rolls back and nothing is written. */
public class InsufficientCreditsException extends RuntimeException {
  public InsufficientCreditsException() {
    super("insufficient_credits", null, false, false);
  }
}
