package io.sealsync.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sealsync.agentstate.ReplicationClient;
import io.sealsync.client.agentstate.api.AgentStateApi;
import io.sealsync.client.agentstate.model.Head;
import io.sealsync.client.agentstate.model.ReplicateChunk;
import io.sealsync.client.agentstate.model.ReplicateRequest;
import io.sealsync.client.agentstate.model.ReplicateResponse;
import io.sealsync.client.agentstate.model.SnapshotCreated;
import io.sealsync.client.agentstate.model.SnapshotRequest;
import io.sealsync.client.agentstate.model.SnapshotRestore;
import io.sealsync.client.agentstate.model.SplitBrainConflict;
import io.sealsync.client.operator.model.Tenant;
import io.sealsync.client.operator.model.TenantCreateRequest;
import io.sealsync.client.operator.model.TenantPage;
import io.sealsync.client.rowsync.api.DefaultApi;
import io.sealsync.client.rowsync.model.Bundle;
import io.sealsync.client.rowsync.model.BundleRow;
import io.sealsync.client.rowsync.model.ConnectRequest;
import io.sealsync.client.rowsync.model.ConnectResponse;
import io.sealsync.client.rowsync.model.PullResponse;
import io.sealsync.client.rowsync.model.PushConflictDetails;
import io.sealsync.client.rowsync.model.PushRequestRow;
import io.sealsync.client.rowsync.model.PushSessionChunkRequest;
import io.sealsync.client.rowsync.model.PushSessionCommitResponse;
import io.sealsync.client.rowsync.model.PushSessionCreateRequest;
import io.sealsync.client.rowsync.model.PushSessionCreateResponse;
import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.Jwts;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each API driven only through the Java client generated from its document (pom.xml,
 * openapi-generator-maven-plugin): the documents serve their main purpose, and a client generated
 * from them reads the server's answers and error envelopes into the documented types.
 */
@ExtendWith(ArquillianExtension.class)
class GeneratedClientIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;
  Http http;

  @BeforeEach
  void setUp() {
    http = new Http(base);
  }

  /**
   * Where a client of the document {@code name} points: the server plus the path of the document's
   * first server, as a user configures the generated client (the native library ignores servers).
   */
  String baseUri(String name) {
    Http.Reply document = http.send("GET", "/api-docs/" + name, null, null);
    assertEquals(200, document.status(), name);
    List<Server> servers =
        new OpenAPIV3Parser().readContents(document.text()).getOpenAPI().getServers();
    String path = servers.get(0).getUrl();
    assertTrue(path.startsWith("/"), name + ": a server relative to the host, " + path);
    return http.base() + (path.equals("/") ? "" : path);
  }

  /** Plain HTTP/1.1, as the shipping clients speak it (see Http). */
  static HttpClient.Builder http11() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
  }

  /**
   * The error envelope of a refused call, read into the document's error type with the generated
   * client's own JSON mapping.
   */
  static <T> T envelope(
      ObjectMapper mapper, int status, HttpHeaders headers, String body, Class<T> type)
      throws Exception {
    assertTrue(
        headers.firstValue("Content-Type").orElse("").startsWith("application/json"),
        status + " " + headers.map() + " " + body);
    return mapper.readValue(body, type);
  }

  // Row sync.

  DefaultApi rowSync(String user) {
    var client =
        new io.sealsync.client.rowsync.ApiClient(
            http11(),
            io.sealsync.client.rowsync.ApiClient.createDefaultObjectMapper(),
            baseUri("rowsync.yaml"));
    String token = Jwts.forUser(user);
    client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + token));
    return new DefaultApi(client);
  }

  static PushRequestRow tag(String name, PushRequestRow.OpEnum op, long base, String color) {
    return new PushRequestRow()
        .schema("demo")
        .table("tags")
        .key(Map.of("name", name))
        .op(op)
        .baseRowVersion(base)
        .payload(Map.of("color", color));
  }

  PushSessionCommitResponse push(DefaultApi api, String source, long id, List<PushRequestRow> rows)
      throws Exception {
    PushSessionCreateResponse session =
        api.createPushSession(
            source,
            new PushSessionCreateRequest().sourceBundleId(id).plannedRowCount((long) rows.size()));
    assertEquals(PushSessionCreateResponse.StatusEnum.STAGING, session.getStatus());
    assertEquals(
        (long) rows.size(),
        api.uploadPushChunk(
                source,
                session.getPushId(),
                new PushSessionChunkRequest().startRowOrdinal(0L).rows(rows))
            .getNextExpectedRowOrdinal());
    return api.commitPushSession(source, session.getPushId());
  }

  @Test
  void rowSyncPushesAndPullsABundleAndReadsAConflict() throws Exception {
    String user = "gen-" + UUID.randomUUID();
    String source = "laptop-" + UUID.randomUUID();
    DefaultApi api = rowSync(user);

    ConnectResponse connected =
        api.connect(source, new ConnectRequest().hasLocalPendingRows(false));
    assertEquals(ConnectResponse.ResolutionEnum.INITIALIZE_EMPTY, connected.getResolution());

    PushSessionCommitResponse committed =
        push(
            api,
            source,
            1,
            List.of(
                tag("red", PushRequestRow.OpEnum.INSERT, 0, "#f00"),
                tag("blue", PushRequestRow.OpEnum.INSERT, 0, "#00f")));
    assertEquals(source, committed.getSourceId());
    assertEquals(1L, committed.getSourceBundleId());
    assertEquals(2L, committed.getRowCount());
    assertTrue(committed.getBundleHash().matches("[0-9a-f]{64}"), committed.getBundleHash());

    PullResponse pulled = api.pull(source, 0L, null, null);
    assertEquals(committed.getBundleSeq(), pulled.getStableBundleSeq());
    assertEquals(false, pulled.getHasMore());
    assertEquals(1, pulled.getBundles().size());
    Bundle bundle = pulled.getBundles().get(0);
    assertEquals(committed.getBundleSeq(), bundle.getBundleSeq());
    assertEquals(committed.getBundleHash(), bundle.getBundleHash());
    BundleRow red = bundle.getRows().get(0);
    assertEquals("tags", red.getTable());
    assertEquals(Map.of("name", "red"), red.getKey());
    assertEquals(BundleRow.OpEnum.INSERT, red.getOp());
    assertEquals("#f00", ((Map<?, ?>) red.getPayload()).get("color"));
    assertEquals(
        List.of("red", "blue"),
        bundle.getRows().stream().map(r -> r.getKey().get("name")).toList());

    // An update from a stale base version: 409 push_conflict with the server's row.
    PushSessionCreateResponse stale =
        api.createPushSession(
            source, new PushSessionCreateRequest().sourceBundleId(2L).plannedRowCount(1L));
    api.uploadPushChunk(
        source,
        stale.getPushId(),
        new PushSessionChunkRequest()
            .startRowOrdinal(0L)
            .rows(List.of(tag("red", PushRequestRow.OpEnum.UPDATE, 7, "#e00"))));
    var refused =
        assertThrows(
            io.sealsync.client.rowsync.ApiException.class,
            () -> api.commitPushSession(source, stale.getPushId()));
    assertEquals(409, refused.getCode());
    io.sealsync.client.rowsync.model.Error error =
        envelope(
            io.sealsync.client.rowsync.JSON.getDefault().getMapper(),
            refused.getCode(),
            refused.getResponseHeaders(),
            refused.getResponseBody(),
            io.sealsync.client.rowsync.model.Error.class);
    assertEquals("push_conflict", error.getError());
    PushConflictDetails conflict = error.getConflict();
    assertNotNull(conflict, refused.getResponseBody());
    assertEquals("tags", conflict.getTable());
    assertEquals(Map.of("name", "red"), conflict.getKey());
    assertEquals(7L, conflict.getBaseRowVersion());
    assertEquals(red.getRowVersion(), conflict.getServerRowVersion());
    assertEquals(false, conflict.getServerRowDeleted());
    assertEquals("#f00", ((Map<?, ?>) conflict.getServerRow()).get("color"));
    // The refused session stays until the client deletes it (204, no body).
    api.deletePushSession(source, stale.getPushId());
  }

  // Agent state.

  AgentStateApi agentState(String token) {
    var client =
        new io.sealsync.client.agentstate.ApiClient(
            http11(),
            io.sealsync.client.agentstate.ApiClient.createDefaultObjectMapper(),
            baseUri("agent-state.yaml"));
    client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + token));
    return new AgentStateApi(client);
  }

  static ReplicateRequest replicate(String previousRoot, long seq, byte[] block) {
    String hash = ReplicationClient.sha256Hex(block);
    return new ReplicateRequest()
        .chunks(
            List.of(
                new ReplicateChunk()
                    .sequenceNumber(seq)
                    .blockHash(hash)
                    .ciphertextB64(Base64.getEncoder().encodeToString(block))))
        .merkleRoot(ReplicationClient.chain(previousRoot, hash));
  }

  @Test
  void agentStateReplicatesAndSnapshotsAndReadsASplitBrain() throws Exception {
    AgentStateApi api = agentState(Http.newProjectToken());

    byte[] block = ReplicationClient.blob(64, 1);
    ReplicateRequest first = replicate(ReplicationClient.ZERO_ROOT, 0, block);
    ReplicateResponse stored = api.replicate(first);
    assertEquals(1, stored.getAccepted());
    assertEquals(0L, stored.getSequenceNumber());
    assertEquals(first.getMerkleRoot(), stored.getMerkleRoot());
    assertEquals("replication", stored.getServerReceipt().getKind().getValue());
    Head head = api.head();
    assertEquals(0L, head.getSequenceNumber());
    assertEquals(first.getMerkleRoot(), head.getMerkleRoot());

    byte[] state = "agent state".getBytes(StandardCharsets.UTF_8);
    String agent = "agent_" + UUID.randomUUID().toString().substring(0, 8);
    SnapshotCreated created =
        api.createSnapshot(
            new SnapshotRequest()
                .agentId(agent)
                .sequenceNumber(0L)
                .policyHash("0".repeat(64))
                .clientPayloadHash(ReplicationClient.sha256Hex(state))
                .ciphertextB64(Base64.getEncoder().encodeToString(state))
                .byteSize(state.length)
                .timestamp("2026-05-20T08:00:00.000Z"));
    assertEquals(agent, created.getAgentId());
    assertEquals(SnapshotCreated.StatusEnum.CONFIRMED, created.getStatus());
    assertEquals(created.getSnapshotId(), created.getServerReceipt().getSnapshotId());
    SnapshotRestore latest = api.latestSnapshot(agent);
    assertEquals(created.getSnapshotId(), latest.getReceipt().getSnapshotId());
    assertEquals(state.length, latest.getReceipt().getByteSize());
    assertNotNull(latest.getCiphertextUrl());

    // Another block at the same position: 409 split_brain_detected with the conflicting hashes.
    byte[] other = ReplicationClient.blob(64, 2);
    var refused =
        assertThrows(
            io.sealsync.client.agentstate.ApiException.class,
            () -> api.replicate(replicate(ReplicationClient.ZERO_ROOT, 0, other)));
    assertEquals(409, refused.getCode());
    io.sealsync.client.agentstate.model.Error error =
        envelope(
            io.sealsync.client.agentstate.JSON.getDefault().getMapper(),
            refused.getCode(),
            refused.getResponseHeaders(),
            refused.getResponseBody(),
            io.sealsync.client.agentstate.model.Error.class);
    assertEquals("split_brain_detected", error.getError());
    SplitBrainConflict conflict = error.getConflicts().get(0);
    assertEquals(0L, conflict.getSequenceNumber());
    assertEquals(first.getChunks().get(0).getBlockHash(), conflict.getExistingBlockHash());
    assertEquals(ReplicationClient.sha256Hex(other), conflict.getAttemptedBlockHash());
  }

  // The operator API.

  io.sealsync.client.operator.api.DefaultApi operator() {
    var client =
        new io.sealsync.client.operator.ApiClient(
            http11(),
            io.sealsync.client.operator.ApiClient.createDefaultObjectMapper(),
            baseUri("operator.yaml"));
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (Http.ADMIN_USER + ":" + Http.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    client.setRequestInterceptor(b -> b.header("Authorization", "Basic " + basic));
    return new io.sealsync.client.operator.api.DefaultApi(client);
  }

  @Test
  void theOperatorApiCreatesAndListsATenantAndRefusesItsNameTwice() throws Exception {
    var api = operator();
    String name = "gen-" + UUID.randomUUID();

    Tenant tenant = api.createTenant(new TenantCreateRequest().name(name));
    assertEquals(name, tenant.getName());
    assertEquals(0L, tenant.getCredits());
    assertEquals(tenant, api.getTenant(tenant.getTenantId()));
    TenantPage page = api.listTenants(name, null, null);
    assertEquals(1L, page.getTotal());
    assertEquals(tenant.getTenantId(), page.getItems().get(0).getTenantId());
    assertEquals(0L, page.getItems().get(0).getLiveKeys());

    var refused =
        assertThrows(
            io.sealsync.client.operator.ApiException.class,
            () -> api.createTenant(new TenantCreateRequest().name(name)));
    assertEquals(409, refused.getCode());
    io.sealsync.client.operator.model.Error error =
        envelope(
            io.sealsync.client.operator.JSON.getDefault().getMapper(),
            refused.getCode(),
            refused.getResponseHeaders(),
            refused.getResponseBody(),
            io.sealsync.client.operator.model.Error.class);
    assertEquals("name_taken", error.getError());
    assertNotNull(error.getMessage());
  }
}
