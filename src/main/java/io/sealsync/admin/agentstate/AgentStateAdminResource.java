package io.sealsync.admin.agentstate;

import io.sealsync.admin.AdminDatabase;
import io.sealsync.admin.AdminService;
import io.sealsync.admin.Paging;
import io.sealsync.agentstate.ReplicationService;
import io.sealsync.platform.JsonBodies;
import io.sealsync.platform.Timestamps;
import io.sealsync.platform.db.HotStatement;
import io.sealsync.platform.errors.ApiException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.List;

/** The agent state of one account tenant: its replication log and its agents' snapshots. */
@Path("admin/tenants/{tenantId}/agent-state")
@Produces(MediaType.APPLICATION_JSON)
public class AgentStateAdminResource {
  static final int MAX_AGENT_ID = 128;

  @Inject AdminService admin;
  @Inject AdminDatabase db;
  @Inject LogVerifier verifier;
  @Inject ReplicationService replication;

  public record Head(long sequenceNumber, String merkleRoot, String lastWriteAt) {}

  public record LogState(
      long tenantId,
      Head head,
      long blocks,
      long bytes,
      Long secondsSinceLastBlock,
      long agents,
      long snapshots) {}

  public record Agent(
      String agentId,
      long snapshots,
      long confirmed,
      long pending,
      long failed,
      Long latestSequence,
      String latestAt,
      long bytes) {}

  public record Snapshot(
      String id,
      long sequenceNumber,
      String parentSnapshot,
      String status,
      int byteSize,
      long costMilli,
      String createdAt,
      String confirmedAt) {}

  public record Lineage(String agentId, List<Snapshot> items, int limit, Long nextBefore) {}

  @HotStatement
  static final String LOG_STATE =
      // Blocks and bytes kept per tenant (replication_log_total): counting a busy tenant's log on
      // every view would read all of it.
      "SELECT coalesce((SELECT blocks FROM replication_log_total WHERE tenant_id = ?), 0),"
          + " coalesce((SELECT bytes FROM replication_log_total WHERE tenant_id = ?), 0),"
          + " (SELECT floor(extract(epoch FROM now() - max(created_at)))"
          + " FROM replication_log WHERE tenant_id = ?"
          + " AND sequence_number = (SELECT max(sequence_number) FROM replication_log"
          + " WHERE tenant_id = ?)),"
          + " (SELECT count(DISTINCT agent_id) FROM agent_state_snapshots WHERE tenant_id = ?),"
          + " (SELECT count(*) FROM agent_state_snapshots WHERE tenant_id = ?)";

  @GET
  public String state(@PathParam("tenantId") long tenantId) {
    admin.find(tenantId);
    Head head =
        replication
            .head(tenantId)
            .map(
                h ->
                    new Head(
                        h.sequenceNumber(),
                        h.merkleRoot().trim(),
                        Timestamps.format(h.createdAt())))
            .orElse(null);
    return JsonBodies.toJson(
        db.one(
            LOG_STATE,
            rs ->
                new LogState(
                    tenantId,
                    head,
                    rs.getLong(1),
                    rs.getLong(2),
                    AdminDatabase.longOrNull(rs, 3),
                    rs.getLong(4),
                    rs.getLong(5)),
            tenantId,
            tenantId,
            tenantId,
            tenantId,
            tenantId,
            tenantId));
  }

  @HotStatement
  static final String AGENT_COUNT =
      "SELECT count(DISTINCT agent_id) FROM agent_state_snapshots WHERE tenant_id = ?";

  @HotStatement
  static final String AGENT_PAGE =
      "SELECT agent_id, count(*), count(*) FILTER (WHERE status = 'confirmed'),"
          + " count(*) FILTER (WHERE status = 'pending'),"
          + " count(*) FILTER (WHERE status = 'failed'),"
          + " max(sequence_number) FILTER (WHERE status = 'confirmed'),"
          + " max(coalesce(confirmed_at, created_at)), coalesce(sum(byte_size), 0)"
          + " FROM agent_state_snapshots WHERE tenant_id = ?"
          + " GROUP BY agent_id ORDER BY agent_id LIMIT ? OFFSET ?";

  /** The tenant's agents, by id, each with a summary of its snapshot lineage. */
  @GET
  @Path("agents")
  public String agents(
      @PathParam("tenantId") long tenantId,
      @QueryParam("limit") String limit,
      @QueryParam("offset") String offset) {
    int n = Paging.limit(limit);
    long from = Paging.offset(offset);
    admin.find(tenantId);
    Long total = db.one(AGENT_COUNT, rs -> rs.getLong(1), tenantId);
    List<Agent> items =
        db.list(
            AGENT_PAGE,
            rs ->
                new Agent(
                    rs.getString(1),
                    rs.getLong(2),
                    rs.getLong(3),
                    rs.getLong(4),
                    rs.getLong(5),
                    AdminDatabase.longOrNull(rs, 6),
                    AdminDatabase.ts(rs, 7),
                    rs.getLong(8)),
            tenantId,
            n,
            from);
    Long next = from + items.size() < total ? from + items.size() : null;
    return JsonBodies.toJson(new Paging.Page<>(items, total, n, from, next));
  }

  @HotStatement
  static final String LINEAGE_PAGE =
      "SELECT id, sequence_number, parent_snapshot, status, byte_size, cost_milli,"
          + " created_at, confirmed_at FROM agent_state_snapshots"
          + " WHERE tenant_id = ? AND agent_id = ? AND sequence_number < ?"
          + " ORDER BY sequence_number DESC LIMIT ?";

  /** One agent's snapshots, newest sequence first; {@code before} continues a page. */
  @GET
  @Path("lineage")
  public String lineage(
      @PathParam("tenantId") long tenantId,
      @QueryParam("agent_id") String agentId,
      @QueryParam("limit") String limit,
      @QueryParam("before") String before) {
    if (agentId == null
        || agentId.isEmpty()
        || agentId.length() > MAX_AGENT_ID
        || agentId.indexOf('\u0000') >= 0) {
      throw ApiException.badRequest(
          "'agent_id' must be 1 to " + MAX_AGENT_ID + " characters, without U+0000");
    }
    int n = Paging.limit(limit);
    Long beforeSeq = Paging.cursor("before", before);
    admin.find(tenantId);
    List<Snapshot> items =
        db.list(
            LINEAGE_PAGE,
            rs ->
                new Snapshot(
                    rs.getString(1),
                    rs.getLong(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getInt(5),
                    rs.getLong(6),
                    AdminDatabase.ts(rs, 7),
                    AdminDatabase.ts(rs, 8)),
            tenantId,
            agentId,
            beforeSeq == null ? Long.MAX_VALUE : beforeSeq,
            n);
    Long next = items.size() == n ? items.get(items.size() - 1).sequenceNumber() : null;
    return JsonBodies.toJson(new Lineage(agentId, items, n, next));
  }

  /**
   * Verifies the stored log on the server, streamed as newline-delimited JSON (progress lines, then
   * one result line): the answer starts at once, however long the log.
   */
  @GET
  @Path("verify")
  @Produces("application/x-ndjson")
  public Response verify(@PathParam("tenantId") long tenantId) {
    admin.find(tenantId);
    StreamingOutput body = out -> verifier.verify(tenantId, out);
    return Response.ok(body, "application/x-ndjson").header("Cache-Control", "no-store").build();
  }
}
