package io.sealsync.agentstate;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/**
 * Serves snapshot ciphertext behind the signed URLs of {@link CiphertextUrls} (§10.4); refusals are
 * agent-state errors ({@link AgentStateErrors}).
 */
@Path(CiphertextUrls.PATH + "/{snapshotId}")
public class CiphertextResource {
  @Inject CiphertextUrls urls;
  @Inject SnapshotService snapshots;

  @GET
  public Response get(
      @PathParam("snapshotId") String snapshotId,
      @QueryParam("expires") String expires,
      @QueryParam("signature") String signature) {
    if (!urls.verify(snapshotId, expires, signature)) {
      throw AgentStateError.INVALID_OR_EXPIRED_URL.exception();
    }
    return Response.ok(
            snapshots
                .ciphertext(snapshotId)
                .orElseThrow(AgentStateError.SNAPSHOT_NOT_FOUND::exception),
            "application/octet-stream")
        .header("Cache-Control", "private, no-store")
        .build();
  }
}
