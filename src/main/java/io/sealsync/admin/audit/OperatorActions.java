package io.sealsync.admin.audit;

import io.sealsync.admin.OperatorAccess;
import io.sealsync.platform.errors.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a state-changing operator action and records it in {@link AuditLog}: on success in the same
 * transaction as the action (no action without its record, no record of an action that rolled
 * back); on failure, after the rollback, in a transaction of its own.
 */
@ApplicationScoped
public class OperatorActions {
  private static final Logger LOG = Logger.getLogger(OperatorActions.class.getName());

  @Inject AuditLog log;
  @Inject AuditedTransaction tx;
  @Inject HttpServletRequest request;

  /** What an action tells its record while it runs: the target, once known, and details. */
  public static final class Note {
    private String target;
    private String detail = "";

    Note(String target) {
      this.target = target;
    }

    public Note target(String target) {
      this.target = target;
      return this;
    }

    public Note detail(String detail) {
      this.detail = detail;
      return this;
    }
  }

  /**
   * Runs {@code work} as the action {@code action} (e.g. {@code tenant.create}) on {@code target}.
   */
  public <T> T run(String action, String target, Function<Note, T> work) {
    String actor = actor();
    Note note = new Note(target);
    try {
      return tx.run(
          () -> {
            T result = work.apply(note);
            log.append(new AuditLog.Record(actor, action, note.target, "ok", note.detail));
            return result;
          });
    } catch (RuntimeException e) {
      try {
        log.appendAlone(new AuditLog.Record(actor, action, note.target, "failed", describe(e)));
      } catch (RuntimeException recordFailure) {
        LOG.log(Level.WARNING, "failed action " + action + " not recorded", recordFailure);
      }
      throw e;
    }
  }

  /**
   * The operator the application authenticated (a bearer token, a console session signed in through
   * OpenID Connect), else the container's principal: whoever the realm (user registry, LDAP)
   * authenticated.
   */
  String actor() {
    if (request.getAttribute(OperatorAccess.OPERATOR_ATTRIBUTE) instanceof String name) {
      return name;
    }
    Principal p = request.getUserPrincipal();
    return p == null ? "(anonymous)" : p.getName();
  }

  private static String describe(RuntimeException e) {
    Throwable t = e;
    // Interceptors may wrap what the action threw.
    while (!(t instanceof ApiException) && t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    if (t instanceof ApiException a) {
      return a.status() + " " + a.code() + ": " + a.getMessage();
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
