package io.sealsync.agentstate;

import io.sealsync.billing.InsufficientCreditsException;
import io.sealsync.platform.BoundedBody;
import io.sealsync.platform.JsNumbers;
import io.sealsync.security.ApiKey;
import io.sealsync.security.TenantDirectory;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The agent-state protocol's single entry point. The protocol dispatches by its own rules
 * (agent-state.md §2): authentication before routing, any number of leading prefixes, and 404
 * rather than 405 for a wrong method, so every method lands here and {@link AgentStateRoute}
 * decides.
 */
@Path("{path: (?:functions|v1|v2-agent-state|v2)(?:/.*)?}")
public class AgentStateResource {
  private static final Logger LOG = Logger.getLogger(AgentStateResource.class.getName());
  static final String JSON = "application/json";

  /** One maximum chunk in base64 (349 528 characters) always fits (§5.2). */
  static final long MIN_REQUEST_CAP = 512 * 1024;

  @Inject AgentStateAuthenticator authenticator;
  @Inject SnapshotService snapshots;
  @Inject TenantDirectory tenants;
  @Inject CiphertextUrls ciphertextUrls;

  @Inject
  @ConfigProperty(name = "sealsync.agent-state.max-request-bytes", defaultValue = "4194304")
  long maxRequestBytes;

  @Context UriInfo uriInfo;
  @Context HttpHeaders headers;

  @GET
  @Operation(hidden = true)
  public Response get() {
    return dispatch("GET", null);
  }

  @POST
  @Operation(hidden = true)
  public Response post(InputStream body) {
    return dispatch("POST", body);
  }

  @PUT
  @Operation(hidden = true)
  public Response put() {
    return dispatch("PUT", null);
  }

  @DELETE
  @Operation(hidden = true)
  public Response delete() {
    return dispatch("DELETE", null);
  }

  @PATCH
  @Operation(hidden = true)
  public Response patch() {
    return dispatch("PATCH", null);
  }

  @HEAD
  @Operation(hidden = true)
  public Response head() {
    return dispatch("HEAD", null);
  }

  @OPTIONS
  @Operation(hidden = true)
  public Response options() {
    return dispatch("OPTIONS", null);
  }

  private Response dispatch(String method, InputStream body) {
    AgentStateRoute route = null;
    try {
      AgentStateCaller caller =
          authenticator.authenticate(headers.getHeaderString(HttpHeaders.AUTHORIZATION));
      route = AgentStateRoute.resolve(method, uriInfo.getPath(false));
      String scope = route.endpoint().writes() ? ApiKey.SCOPE_WRITE : ApiKey.SCOPE_READ;
      if (!caller.hasScope(scope)) {
        throw AgentStateError.INSUFFICIENT_SCOPE.exception();
      }
      return switch (route.endpoint()) {
        case CREATE_SNAPSHOT -> createSnapshot(caller, body);
        case LATEST_SNAPSHOT -> restore(caller, route.agentId(), null);
        case SNAPSHOT_AT_SEQUENCE -> restore(caller, route.agentId(), route.rawSequence());
        case LINEAGE -> lineage(caller, route.agentId());
        default -> throw AgentStateError.ROUTE_NOT_FOUND.exception();
      };
    } catch (AgentStateException e) {
      return error(e);
    } catch (InsufficientCreditsException e) {
      return error(AgentStateError.INSUFFICIENT_CREDITS.exception());
    } catch (RuntimeException e) {
      AgentStateError failure =
          route == null ? AgentStateError.INTERNAL_ERROR : serverFailure(route.endpoint());
      LOG.log(
          Level.SEVERE,
          "agent-state " + method + " " + uriInfo.getPath(false) + " failed: " + failure.code(),
          e);
      return error(failure.exception());
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
    };
  }

  private Response createSnapshot(AgentStateCaller caller, InputStream body) {
    SnapshotRequest request = SnapshotRequest.parse(readBody(body));
    return json(200, snapshots.create(caller, request).toJson());
  }

  private Response restore(AgentStateCaller caller, AgentId agent, String rawSequence) {
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
        Json.createObjectBuilder()
            .add("receipt", receipt.get().toJson())
            .add(
                "ciphertextUrl",
                ciphertextUrls.urlFor(uriInfo.getBaseUri(), receipt.get().snapshotId()))
            .build();
    return json(200, out);
  }

  private Response lineage(AgentStateCaller caller, AgentId agent) {
    int limit = lineageLimit(uriInfo.getQueryParameters(true).getFirst("limit"));
    JsonArrayBuilder arr = Json.createArrayBuilder();
    for (SnapshotService.LineageEntry e : snapshots.lineage(readTenant(caller), agent, limit)) {
      JsonObjectBuilder o =
          Json.createObjectBuilder()
              .add("sequence_number", e.sequenceNumber())
              .add("arweave_tx_id", e.storageKey());
      if (e.parentSnapshot() == null) {
        o.addNull("parent_tx_id");
      } else {
        o.add("parent_tx_id", e.parentSnapshot());
      }
      o.add("client_payload_hash", e.clientPayloadHash())
          .add("confirmed_at", io.sealsync.platform.Timestamps.format(e.confirmedAt()));
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

  private byte[] readBody(InputStream body) {
    try {
      return BoundedBody.read(
              body,
              headers.getHeaderString(HttpHeaders.CONTENT_LENGTH),
              Math.max(maxRequestBytes, MIN_REQUEST_CAP))
          .orElseThrow(AgentStateError.REQUEST_TOO_LARGE::exception);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Response json(int status, JsonValue body) {
    return Response.status(status).entity(AgentStateJson.write(body)).type(JSON).build();
  }

  static Response error(AgentStateException e) {
    JsonObjectBuilder b = Json.createObjectBuilder().add("error", e.code());
    if (e.conflicts() != null) {
      b.add("conflicts", e.conflicts());
    }
    return json(e.status(), b.build());
  }
}
