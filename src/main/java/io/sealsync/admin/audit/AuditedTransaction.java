package io.sealsync.admin.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.function.Supplier;

/** One transaction around an operator action and its audit record (a bean, for the interceptor). */
@ApplicationScoped
public class AuditedTransaction {
  @Transactional
  public <T> T run(Supplier<T> work) {
    return work.get();
  }
}
