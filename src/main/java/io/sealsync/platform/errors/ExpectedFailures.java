package io.sealsync.platform.errors;

import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import jakarta.transaction.TransactionalException;

/**
 * Carries an {@link ExpectedFailure} through the container's {@code @Transactional} interceptor
 * without an incident. OpenLiberty records every runtime exception that leaves a transactional
 * method as an FFDC incident with a stack trace, hundreds a minute for ordinary {@code 409}s, but
 * lets checked exceptions pass quietly. So, bound to the same {@code @Transactional} methods: an
 * inner interceptor (inside the container's) marks the transaction rollback-only, exactly as the
 * runtime exception would have, and passes the failure out wrapped in a checked {@link Carrier}; an
 * outer one (outside the container's) unwraps it again, so callers and exception mappers see the
 * failure as it was thrown. The same on every server; {@code Transactional.value} is a binding
 * member, hence one pair per transaction type.
 */
public final class ExpectedFailures {
  static final int OUTER = Interceptor.Priority.PLATFORM_BEFORE + 100;
  // The container's transactional interceptors are at PLATFORM_BEFORE + 200 (JTA spec, 3.7).
  static final int INNER = Interceptor.Priority.PLATFORM_BEFORE + 300;

  private ExpectedFailures() {}

  /** The checked envelope of a failure on its way through the container's interceptor. */
  static final class Carrier extends Exception {
    final RuntimeException failure;

    Carrier(RuntimeException failure) {
      super(failure.getMessage(), failure, false, false);
      this.failure = failure;
    }
  }

  abstract static class Inside {
    @Resource TransactionSynchronizationRegistry transactions;

    @AroundInvoke
    Object carry(InvocationContext context) throws Exception {
      try {
        return context.proceed();
      } catch (RuntimeException e) {
        if (!(e instanceof ExpectedFailure)) {
          throw e;
        }
        if (transactions.getTransactionStatus() == Status.STATUS_ACTIVE) {
          transactions.setRollbackOnly();
        }
        throw new Carrier(e);
      }
    }
  }

  abstract static class Outside {
    @AroundInvoke
    Object unwrap(InvocationContext context) throws Exception {
      try {
        return context.proceed();
      } catch (Carrier c) {
        throw c.failure;
      } catch (TransactionalException e) {
        if (e.getCause() instanceof Carrier c) {
          throw c.failure;
        }
        throw e;
      }
    }
  }

  @Transactional(Transactional.TxType.REQUIRED)
  @Interceptor
  @Priority(INNER)
  public static class RequiredInside extends Inside {}

  @Transactional(Transactional.TxType.REQUIRED)
  @Interceptor
  @Priority(OUTER)
  public static class RequiredOutside extends Outside {}

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  @Interceptor
  @Priority(INNER)
  public static class RequiresNewInside extends Inside {}

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  @Interceptor
  @Priority(OUTER)
  public static class RequiresNewOutside extends Outside {}

  @Transactional(Transactional.TxType.MANDATORY)
  @Interceptor
  @Priority(INNER)
  public static class MandatoryInside extends Inside {}

  @Transactional(Transactional.TxType.MANDATORY)
  @Interceptor
  @Priority(OUTER)
  public static class MandatoryOutside extends Outside {}

  @Transactional(Transactional.TxType.SUPPORTS)
  @Interceptor
  @Priority(INNER)
  public static class SupportsInside extends Inside {}

  @Transactional(Transactional.TxType.SUPPORTS)
  @Interceptor
  @Priority(OUTER)
  public static class SupportsOutside extends Outside {}
}
