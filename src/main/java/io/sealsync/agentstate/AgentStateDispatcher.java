package io.sealsync.agentstate;

import io.sealsync.billing.InsufficientCreditsException;
import io.sealsync.platform.BoundedBody;
import io.sealsync.platform.ForgivingBase64;
import io.sealsync.platform.JsNumbers;
import io.sealsync.platform.JsonFactory;
import io.sealsync.platform.Timestamps;
import io.sealsync.platform.db.DatabaseFailures;
import io.sealsync.security.ApiKey;
import io.sealsync.security.TenantDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Dispatches agent-state requests by the protocol's own rules (agent-state.md §2): authentication
 * before routing, then the route, then the handler. Protocol errors become {@code {"error"}}
 * bodies; unexpected failures the route's 5xx code.
 */
@ApplicationScoped
public class AgentStateDispatcher {
  private static final Logger LOG = Logger.getLogger(AgentStateDispatcher.class.getName());
  static final String JSON = "application/json";

  @Inject AgentStateAuthenticator authenticator;
  @Inject SnapshotService snapshots;
  @Inject TenantDirectory tenants;
  @Inject CiphertextUrls ciphertextUrls;
  @Inject ReplicationService replication;
  @Inject ReplayPages replayPages;
  @Inject ServerReceipts receipts;
  @Inject AgentStateLimits limits;

  public Response dispatch(AgentStateRequest request) {
    String method = request.method();
    AgentStateRoute route = null;
    try {
      AgentStateCaller caller = authenticator.authenticate(request.authorization());
      long retryAfter = limits.acquire(caller.tenantLabel());
      if (retryAfter > 0) {
        return error(AgentStateError.RATE_LIMITED.exception())
            .header("Retry-After", retryAfter)
            .build();
      }
      route = AgentStateRoute.resolve(method, request.rawPath());
      String scope = route.endpoint().writes() ? ApiKey.SCOPE_WRITE : ApiKey.SCOPE_READ;
      if (!caller.hasScope(scope)) {
        throw AgentStateError.INSUFFICIENT_SCOPE.exception();
      }
      return switch (route.endpoint()) {
        case CREATE_SNAPSHOT -> createSnapshot(caller, request);
        case LATEST_SNAPSHOT -> restore(request, caller, route.agentId(), null);
        case SNAPSHOT_AT_SEQUENCE -> restore(request, caller, route.agentId(), route.rawSequence());
        case LINEAGE -> lineage(request, caller, route.agentId());
        case REPLICATE -> replicate(caller, request);
        case HEAD -> head(caller);
        case REPLAY -> replay(request, caller);
        case RECEIPT_KEY -> receiptKey();
      };
    } catch (AgentStateException e) {
      return error(e).build();
    } catch (InsufficientCreditsException e) {
      return error(AgentStateError.INSUFFICIENT_CREDITS.exception()).build();
    } catch (RuntimeException e) {
      AgentStateError failure =
          e instanceof AgentStateAuthenticator.TransientLookupFailure lookup
              ? lookup.failed()
              : route == null ? AgentStateError.INTERNAL_ERROR : serverFailure(route.endpoint());
      if (DatabaseFailures.isTransient(e)) {
        // Not the client's fault and not a bug: the clients retry a 503 (agent-state.md §14).
        LOG.warning(
            "agent-state "
                + method
                + " "
                + request.rawPath()
                + ": transient database failure, answered 503: "
                + e);
        return Response.status(503)
            .entity(AgentStateJson.write(JsonFactory.object().add("error", failure.code()).build()))
            .type(JSON)
            .header("Retry-After", DatabaseFailures.RETRY_AFTER_SECONDS)
            .build();
      }
      LOG.log(
          Level.SEVERE,
          "agent-state " + method + " " + request.rawPath() + " failed: " + failure.code(),
          e);
      return error(failure.exception()).build();
    }
  }

  private static AgentStateError serverFailure(AgentStateRoute.Endpoint endpoint) {
    return switch (endpoint) {
      case CREATE_SNAPSHOT -> AgentStateError.SNAPSHOT_INSERT_FAILED;
      case LATEST_SNAPSHOT, SNAPSHOT_AT_SEQUENCE -> AgentStateError.RESTORE_LOOKUP_FAILED;
      case LINEAGE -> AgentStateError.LINEAGE_LOOKUP_FAILED;
      case REPLICATE -> AgentStateError.INSERT_FAILED;
      case HEAD -> AgentStateError.HEAD_LOOKUP_FAILED;
      case REPLAY -> AgentStateError.REPLAY_LOOKUP_FAILED;
      case RECEIPT_KEY -> AgentStateError.INTERNAL_ERROR;
    };
  }

  private Response createSnapshot(AgentStateCaller caller, AgentStateRequest request) {
    SnapshotReceipt receipt = snapshots.create(caller, SnapshotRequest.parse(readBody(request)));
    return json(
        200,
        receipt
            .toJsonBuilder()
            .add(
                "server_receipt",
                receipts.snapshot(caller.tenantLabel(), receipt, Timestamps.now()))
            .build());
  }

  private Response replicate(AgentStateCaller caller, AgentStateRequest http) {
    ReplicateRequest request = ReplicateRequest.parse(readBody(http));
    ReplicationService.Outcome outcome = replication.replicate(caller, request);
    ReplicationService.LogHead acked = outcome.acknowledged();
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
    return json(200, out.add("server_receipt", receipt).build());
  }

  private Response head(AgentStateCaller caller) {
    ReplicationService.LogHead head =
        readTenant(caller)
            .flatMap(replication::head)
            .orElseThrow(AgentStateError.NO_REPLICATION_ENTRIES::exception);
    return json(
        200,
        JsonFactory.object()
            .add("sequence_number", head.sequenceNumber())
            .add("merkle_root", head.merkleRoot())
            .add("updated_at", Timestamps.format(head.createdAt()))
            .build());
  }

  private Response replay(AgentStateRequest request, AgentStateCaller caller) {
    long since = sinceParameter(request.query("since"));
    OptionalLong maxBytes = maxBytesParameter(request.query("max_bytes"));
    // Everything that can still fail with a status (parameters, tenant, the first rows) happens
    // before the response starts; the page itself is streamed.
    StreamingOutput page =
        replayPages.open(readTenant(caller), since, limits.replayMaxRows(), maxBytes);
    return Response.ok(page, JSON).build();
  }

  /** {@code max_bytes} (extension, D9): absent → no budget; else a positive decimal integer. */
  static OptionalLong maxBytesParameter(String raw) {
    if (raw == null) {
      return OptionalLong.empty();
    }
    String digits = raw.matches("[0-9]+") ? raw.replaceFirst("^0+", "") : "";
    if (digits.isEmpty()) {
      throw AgentStateError.BAD_MAX_BYTES_PARAM.exception();
    }
    // Beyond 18 digits no budget can bind anyway.
    return OptionalLong.of(digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits));
  }

  /** {@code since}: absent or empty → missing; not an integer or below −1 → bad (§7, D8). */
  static long sinceParameter(String raw) {
    if (raw == null || raw.isEmpty()) {
      throw AgentStateError.MISSING_SINCE_PARAM.exception();
    }
    double n = JsNumbers.toNumber(raw);
    if (!JsNumbers.isInteger(n) || n < -1) {
      throw AgentStateError.BAD_SINCE_PARAM.exception();
    }
    return n >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) n;
  }

  private Response receiptKey() {
    return json(
        200,
        JsonFactory.object()
            .add("algorithm", "Ed25519")
            .add("key_id", receipts.keyId())
            .add("public_key", ForgivingBase64.encode(receipts.publicKey()))
            .build());
  }

  private Response restore(
      AgentStateRequest request, AgentStateCaller caller, AgentId agent, String rawSequence) {
    Optional<SnapshotReceipt> receipt;
    if (rawSequence == null) {
      receipt = snapshots.latest(readTenant(caller), agent);
      if (receipt.isEmpty()) {
        throw AgentStateError.NO_SNAPSHOTS_FOR_AGENT.exception();
      }
    } else {
      long seq = pathSequence(rawSequence);
      receipt = snapshots.atSequence(readTenant(caller), agent, seq);
      if (receipt.isEmpty()) {
        throw AgentStateError.SNAPSHOT_NOT_FOUND.exception();
      }
    }
    JsonObject out =
        JsonFactory.object()
            .add("receipt", receipt.get().toJson())
            .add(
                "ciphertextUrl",
                ciphertextUrls.urlFor(request.baseUri(), receipt.get().snapshotId()))
            .build();
    return json(200, out);
  }

  private Response lineage(AgentStateRequest request, AgentStateCaller caller, AgentId agent) {
    int limit = lineageLimit(request.query("limit"));
    JsonArrayBuilder arr = JsonFactory.array();
    for (SnapshotService.LineageEntry e : snapshots.lineage(readTenant(caller), agent, limit)) {
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
    return json(200, arr.build());
  }

  /** Effective lineage limit: min(max(1, ToInt32(Number(limit))), 500), default 100 (§10.3). */
  static int lineageLimit(String raw) {
    if (raw == null) {
      return 100;
    }
    return Math.min(Math.max(1, JsNumbers.toInt32(JsNumbers.toNumber(raw))), 500);
  }

  /**
   * {@code {seq}}: not finite → bad_path_sequence; negative or fractional → bad_sequence (§2.4).
   */
  static long pathSequence(String raw) {
    double n = JsNumbers.toNumber(raw);
    if (Double.isNaN(n) || Double.isInfinite(n)) {
      throw AgentStateError.BAD_PATH_SEQUENCE.exception();
    }
    if (n < 0 || !JsNumbers.isInteger(n)) {
      throw AgentStateError.BAD_SEQUENCE.exception();
    }
    return n >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) n;
  }

  /** The tenant whose data a read may see; a project token that never wrote has none. */
  private Optional<Long> readTenant(AgentStateCaller caller) {
    return caller.isProject()
        ? tenants.findProjectTenant(caller.projectTokenHash())
        : Optional.of(caller.accountTenantId());
  }

  private byte[] readBody(AgentStateRequest request) {
    try {
      return BoundedBody.read(request.body(), request.contentLength(), limits.maxRequestBytes())
          .orElseThrow(AgentStateError.REQUEST_TOO_LARGE::exception);
    } catch (BoundedBody.UnreadableException e) {
      // A body that never fully arrived is not JSON; a client that went away reads no answer.
      throw AgentStateError.INVALID_JSON.exception();
    }
  }

  static Response json(int status, JsonValue body) {
    return Response.status(status).entity(AgentStateJson.write(body)).type(JSON).build();
  }

  static Response.ResponseBuilder error(AgentStateException e) {
    JsonObjectBuilder b = JsonFactory.object().add("error", e.code());
    if (e.conflicts() != null) {
      b.add("conflicts", e.conflicts());
    }
    return Response.status(e.status()).entity(AgentStateJson.write(b.build())).type(JSON);
  }
}
