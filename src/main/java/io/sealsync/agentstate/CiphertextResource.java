package io.sealsync.agentstate;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/** Serves snapshot ciphertext behind the signed URLs of {@link CiphertextUrls}. */
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
      return AgentStateDispatcher.json(403, AgentStateJson.error("invalid_or_expired_url"));
    }
    return snapshots
        .ciphertext(snapshotId)
        .map(
            bytes ->
                Response.ok(bytes, "application/octet-stream")
                    .header("Cache-Control", "private, no-store")
                    .build())
        .orElseGet(
            () -> AgentStateDispatcher.json(404, AgentStateJson.error("snapshot_not_found")));
  }
}
