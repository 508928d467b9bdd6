package io.sealsync.agentstate;

import io.sealsync.platform.BoundedBody;
import io.sealsync.platform.ForgivingBase64;
import io.sealsync.platform.JsonFactory;
import io.sealsync.platform.Timestamps;
import io.sealsync.security.TenantDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The agent-state routes (§2.2), one resource method each. Clients reach them under any mix of the
 * prefixes {@code functions}, {@code v1}, {@code v2-agent-state} and {@code v2}: {@link
 * AgentStateEntryFilter} authenticates, routes and rewrites every such request to the paths below,
 * so the caller is known when a method runs. Path parameters arrive as the raw segment the client
 * sent (§2.4 decodes them after splitting). Errors are exceptions for {@link AgentStateErrors}.
 */
@Path(AgentStateResource.PATH)
@ApplicationScoped
public class AgentStateResource {
  static final String PATH = "v2-agent-state";
  static final String JSON = "application/json";

  @Inject AgentStateExchange exchange;
  @Inject SnapshotService snapshots;
  @Inject ReplicationService replication;
  @Inject ReplayPages replayPages;
  @Inject ServerReceipts receipts;
  @Inject CiphertextUrls ciphertextUrls;
  @Inject TenantDirectory tenants;
  @Inject AgentStateLimits limits;

  /** §5. */
  @POST
  @Path("replicate")
  @Operation(hidden = true)
  public Response replicate(
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength, InputStream body) {
    AgentStateCaller caller = exchange.caller();
    ReplicateRequest request = ReplicateRequest.parse(readBody(body, contentLength));
    ReplicationService.Outcome outcome = replication.replicate(caller, request);
    LogHead acked = outcome.acknowledged();
    JsonObject receipt =
        receipts.replication(
            caller.tenantLabel(), acked.sequenceNumber(), acked.merkleRoot(), Timestamps.now());
    JsonObjectBuilder out = JsonFactory.object();
    if (outcome.idempotent()) {
      out.add("idempotent", true);
    } else {
      out.add("accepted", request.chunks().size())
          .add("sequence_number", request.maxSequenceNumber())
          .add("merkle_root", request.merkleRoot().hex());
    }
    return json(out.add("server_receipt", receipt).build());
  }

  /** §6. */
  @GET
  @Path("head")
  @Operation(hidden = true)
  public Response head() {
    LogHead head =
        readTenant()
            .flatMap(replication::head)
            .orElseThrow(AgentStateError.NO_REPLICATION_ENTRIES::exception);
    return json(
        JsonFactory.object()
            .add("sequence_number", head.sequenceNumber())
            .add("merkle_root", head.merkleRoot())
            .add("updated_at", Timestamps.format(head.createdAt()))
            .build());
  }

  /** §7: everything that can still fail with a status happens before the page streams. */
  @GET
  @Path("replay")
  @Operation(hidden = true)
  public Response replay() {
    AgentStateRequest request = exchange.request();
    ReplayQuery query = ReplayQuery.parse(request.query("since"), request.query("max_bytes"));
    return Response.ok(
            replayPages.open(readTenant(), query.since(), limits.replayMaxRows(), query.maxBytes()),
            JSON)
        .build();
  }

  /** §9. */
  @POST
  @Path("snapshot")
  @Operation(hidden = true)
  public Response createSnapshot(
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength, InputStream body) {
    AgentStateCaller caller = exchange.caller();
    SnapshotReceipt receipt =
        snapshots.create(caller, SnapshotRequest.parse(readBody(body, contentLength)));
    return json(
        receipt
            .toJsonBuilder()
            .add(
                "server_receipt",
                receipts.snapshot(caller.tenantLabel(), receipt, Timestamps.now()))
            .build());
  }

  /** §10.1. */
  @GET
  @Path("snapshot/{agent}/latest")
  @Operation(hidden = true)
  public Response latest(@PathParam("agent") String rawAgent) {
    AgentId agent = AgentId.fromPath(rawAgent);
    return restored(
        snapshots
            .latest(readTenant(), agent)
            .orElseThrow(AgentStateError.NO_SNAPSHOTS_FOR_AGENT::exception));
  }

  /** §10.2. */
  @GET
  @Path("snapshot/{agent}/{seq}")
  @Operation(hidden = true)
  public Response atSequence(
      @PathParam("agent") String rawAgent, @PathParam("seq") String rawSequence) {
    AgentId agent = AgentId.fromPath(rawAgent);
    SnapshotSequence seq = SnapshotSequence.parse(rawSequence);
    return restored(
        snapshots
            .atSequence(readTenant(), agent, seq.value())
            .orElseThrow(AgentStateError.SNAPSHOT_NOT_FOUND::exception));
  }

  /** §10.3. */
  @GET
  @Path("snapshot/{agent}/lineage")
  @Operation(hidden = true)
  public Response lineage(@PathParam("agent") String rawAgent) {
    AgentId agent = AgentId.fromPath(rawAgent);
    LineageLimit limit = LineageLimit.parse(exchange.request().query("limit"));
    JsonArrayBuilder arr = JsonFactory.array();
    for (LineageEntry e : snapshots.lineage(readTenant(), agent, limit.value())) {
      JsonObjectBuilder o =
          JsonFactory.object()
              .add("sequence_number", e.sequenceNumber())
              .add("arweave_tx_id", e.storageKey());
      if (e.parentSnapshot() == null) {
        o.addNull("parent_tx_id");
      } else {
        o.add("parent_tx_id", e.parentSnapshot());
      }
      o.add("client_payload_hash", e.clientPayloadHash())
          .add("confirmed_at", Timestamps.format(e.confirmedAt()));
      arr.add(o);
    }
    return json(arr.build());
  }

  /** Ours: the key that verifies {@code server_receipt} signatures. */
  @GET
  @Path("receipt-key")
  @Operation(hidden = true)
  public Response receiptKey() {
    return json(
        JsonFactory.object()
            .add("algorithm", "Ed25519")
            .add("key_id", receipts.keyId())
            .add("public_key", ForgivingBase64.encode(receipts.publicKey()))
            .build());
  }

  private Response restored(SnapshotReceipt receipt) {
    return json(
        JsonFactory.object()
            .add("receipt", receipt.toJson())
            .add(
                "ciphertextUrl",
                ciphertextUrls.urlFor(exchange.request().baseUri(), receipt.snapshotId()))
            .build());
  }

  /** The tenant whose data a read may see; a project token that never wrote has none. */
  private Optional<Long> readTenant() {
    AgentStateCaller caller = exchange.caller();
    return caller.isProject()
        ? tenants.findProjectTenant(caller.projectTokenHash())
        : Optional.of(caller.accountTenantId());
  }

  private byte[] readBody(InputStream body, String contentLength) {
    try {
      return BoundedBody.read(body, contentLength, limits.maxRequestBytes())
          .orElseThrow(AgentStateError.REQUEST_TOO_LARGE::exception);
    } catch (BoundedBody.UnreadableException e) {
      // A body that never fully arrived is not JSON; a client that went away reads no answer.
      throw AgentStateError.INVALID_JSON.exception();
    }
  }

  static Response json(JsonValue body) {
    return Response.ok(AgentStateJson.write(body), JSON).build();
  }
}
