package io.sealsync.admin.audit;

import io.sealsync.admin.Paging;
import io.sealsync.platform.JsonBodies;
import io.sealsync.platform.errors.ApiException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /admin/audit}: the operators' actions, newest first, filtered and keyset-paged. */
@Path("admin/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
  @Inject AuditLog log;

  /** A page; {@code next_before} continues it (null on the last page). */
  public record AuditPage(List<AuditLog.Entry> items, int limit, Long nextBefore) {}

  @GET
  public String page(
      @QueryParam("actor") String actor,
      @QueryParam("action") String action,
      @QueryParam("target") String target,
      @QueryParam("outcome") String outcome,
      @QueryParam("before") String before,
      @QueryParam("limit") String limit) {
    String o = Paging.text("outcome", outcome);
    if (o != null && !o.equals("ok") && !o.equals("failed")) {
      throw ApiException.badRequest("'outcome' must be ok or failed");
    }
    int n = Paging.limit(limit);
    List<AuditLog.Entry> items =
        log.page(
            new AuditLog.Filter(
                Paging.text("actor", actor),
                Paging.text("action", action),
                Paging.text("target", target),
                o,
                Paging.cursor("before", before),
                n));
    Long next = items.size() == n ? items.get(items.size() - 1).id() : null;
    return JsonBodies.toJson(new AuditPage(items, n, next));
  }
}
