package io.sealsync.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ApiContract}, the checker ApiContractIT runs real traffic through, on made-up exchanges:
 * it must pass what the documents describe and catch each kind of difference.
 */
class ApiContractTest {
  static ApiContract load(String name) throws Exception {
    return ApiContract.load(name, Files.readString(Path.of("src/main/webapp/api-docs", name)));
  }

  static ApiContract.Exchange exchange(
      String method,
      String target,
      Map<String, String> requestHeaders,
      String requestBody,
      int status,
      String contentType,
      String responseBody) {
    return new ApiContract.Exchange(
        method,
        target,
        requestHeaders,
        requestBody == null ? null : requestBody.getBytes(StandardCharsets.UTF_8),
        status,
        contentType == null ? Map.of() : Map.of("content-type", List.of(contentType)),
        responseBody == null ? new byte[0] : responseBody.getBytes(StandardCharsets.UTF_8));
  }

  static final Map<String, String> SYNC =
      Map.of(
          "Authorization", "Bearer x.y.z",
          "Oversync-Source-ID", "laptop",
          "Content-Type", "application/json");

  @Test
  void documentedExchangesPass() throws Exception {
    ApiContract rowsync = load("rowsync.yaml");
    assertEquals(
        List.of(),
        rowsync.check(
            exchange(
                "POST",
                "/sync/push-sessions/5f0c6b1e-0000-4000-8000-000000000001/chunks",
                SYNC,
                "{\"start_row_ordinal\":0,\"rows\":[]}",
                409,
                "application/json",
                "{\"error\":\"push_chunk_out_of_order\",\"message\":\"expected 0, got 1\"}"),
            true));
    assertEquals(
        List.of(),
        rowsync.check(
            exchange(
                "GET",
                "/sync/capabilities",
                SYNC,
                null,
                401,
                "text/plain",
                "Authorization header required"),
            true));
    assertEquals(
        java.util.Set.of("POST /sync/push-sessions/{push_id}/chunks", "GET /sync/capabilities"),
        rowsync.reached());

    ApiContract agentState = load("agent-state.yaml");
    Map<String, String> token = Map.of("Authorization", "Bearer sov_proj_x");
    for (String prefix : List.of("/functions/v1/v2-agent-state", "/v2-agent-state/v2", "/v1")) {
      assertEquals(
          List.of(),
          agentState.check(
              exchange(
                  "GET",
                  prefix + "/snapshot/agent%2F1/latest",
                  token,
                  null,
                  404,
                  "application/json",
                  "{\"error\":\"no_snapshots_for_agent\"}"),
              true));
    }
    assertTrue(
        agentState.reached().contains("/v2-agent-state/v2 GET /snapshot/{agent}/latest"),
        agentState.reached().toString());
  }

  @Test
  void differencesAreCaught() throws Exception {
    ApiContract rowsync = load("rowsync.yaml");
    String target = "/sync/push-sessions/5f0c6b1e-0000-4000-8000-000000000001/chunks";
    String body = "{\"start_row_ordinal\":0,\"rows\":[]}";
    // An undocumented status.
    assertProblem(
        rowsync.check(exchange("POST", target, SYNC, body, 418, "application/json", "{}"), true),
        "status 418 is not documented");
    // An error code the answer does not list.
    assertProblem(
        rowsync.check(
            exchange(
                "POST",
                target,
                SYNC,
                body,
                409,
                "application/json",
                "{\"error\":\"scope_uninitialized\",\"message\":\"m\"}"),
            true),
        "error code scope_uninitialized is not among");
    // An undocumented content type, and a body member the schema does not have.
    assertProblem(
        rowsync.check(exchange("POST", target, SYNC, body, 409, "text/html", "<html>"), true),
        "content type text/html");
    assertProblem(
        rowsync.check(
            exchange(
                "POST",
                target,
                SYNC,
                body,
                200,
                "application/json",
                "{\"push_id\":\"p\",\"next_expected_row_ordinal\":1,\"extra\":true}"),
            true),
        "extra");
    // A valid request must carry the required header and a body of the right shape.
    assertProblem(
        rowsync.check(
            exchange(
                "POST",
                target,
                Map.of("Authorization", "Bearer x", "Content-Type", "application/json"),
                body,
                400,
                "application/json",
                "{\"error\":\"invalid_request\",\"message\":\"m\"}"),
            true),
        "Oversync-Source-ID missing");
    assertProblem(
        rowsync.check(
            exchange(
                "POST",
                target,
                SYNC,
                "{\"rows\":[]}",
                200,
                "application/json",
                "{\"push_id\":\"p\",\"next_expected_row_ordinal\":1}"),
            true),
        "start_row_ordinal");
    // A path the document does not have.
    assertProblem(
        rowsync.check(exchange("GET", "/sync/nothing", SYNC, null, 404, null, null), true),
        "no documented path");
  }

  private static void assertProblem(List<String> problems, String expected) {
    assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), expected + " in " + problems);
  }
}
