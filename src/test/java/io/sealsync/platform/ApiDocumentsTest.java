package io.sealsync.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The three API documents clients are generated from: valid OpenAPI 3.1, every reference resolves,
 * every operation is named and lists its error answers.
 */
class ApiDocumentsTest {

  @ParameterizedTest
  @ValueSource(strings = {"rowsync.yaml", "agent-state.yaml", "operator.yaml"})
  void documentIsCompleteOpenApi31(String name) throws Exception {
    assertTrue(ApiDocsServlet.DOCUMENTS.contains(name), "served by ApiDocsServlet");
    String text = Files.readString(Path.of("src/main/webapp/api-docs", name));
    ParseOptions resolve = new ParseOptions();
    resolve.setResolve(true);
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(text, null, resolve);
    assertEquals(java.util.List.of(), parsed.getMessages(), name + " parses without messages");
    OpenAPI api = parsed.getOpenAPI();
    assertNotNull(api);
    assertTrue(api.getOpenapi().startsWith("3.1"), "OpenAPI 3.1");
    assertFalse(api.getComponents().getSecuritySchemes().isEmpty(), "security schemes");

    // Every $ref names a component that exists.
    Set<String> refs = new HashSet<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\\$ref: '?#/components/(\\w+)/([\\w-]+)").matcher(text);
    while (m.find()) {
      refs.add(m.group(1) + "/" + m.group(2));
    }
    assertFalse(refs.isEmpty());
    for (String ref : refs) {
      String[] kind = ref.split("/");
      Map<String, ?> components =
          switch (kind[0]) {
            case "schemas" -> api.getComponents().getSchemas();
            case "responses" -> api.getComponents().getResponses();
            case "parameters" -> api.getComponents().getParameters();
            case "headers" -> api.getComponents().getHeaders();
            default -> Map.of();
          };
      assertTrue(components != null && components.containsKey(kind[1]), name + ": $ref " + ref);
    }

    Set<String> ids = new HashSet<>();
    for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
      for (Map.Entry<PathItem.HttpMethod, Operation> op :
          path.getValue().readOperationsMap().entrySet()) {
        String where = name + " " + op.getKey() + " " + path.getKey();
        Operation o = op.getValue();
        assertNotNull(o.getOperationId(), where + ": operationId");
        assertTrue(ids.add(o.getOperationId()), where + ": operationId unique");
        assertTrue(
            o.getResponses().keySet().stream().anyMatch(s -> s.startsWith("2")),
            where + ": a success answer");
        assertTrue(
            o.getResponses().keySet().stream()
                .anyMatch(s -> s.startsWith("4") || s.startsWith("5")),
            where + ": error answers");
        if (o.getRequestBody() != null && o.getRequestBody().getContent() != null) {
          o.getRequestBody()
              .getContent()
              .forEach((type, media) -> assertNamed(media.getSchema(), where + " request " + type));
        }
        for (Map.Entry<String, ApiResponse> r : o.getResponses().entrySet()) {
          ApiResponse response = resolve(api, r.getValue());
          if (response.getContent() == null) {
            continue;
          }
          for (Map.Entry<String, MediaType> c : response.getContent().entrySet()) {
            if (c.getKey().contains("json")) {
              assertNamed(c.getValue().getSchema(), where + " " + r.getKey() + " " + c.getKey());
            }
          }
        }
      }
    }
  }

  /** Every example validates against its schema (JSON Schema 2020-12, the OpenAPI 3.1 dialect). */
  @ParameterizedTest
  @ValueSource(strings = {"rowsync.yaml", "agent-state.yaml", "operator.yaml"})
  void examplesMatchTheirSchemas(String name) throws Exception {
    ApiContract contract =
        ApiContract.load(name, Files.readString(Path.of("src/main/webapp/api-docs", name)));
    assertEquals(List.of(), contract.checkExamples(), name);
  }

  /** A JSON body's schema is a named component, so that generated clients get named types. */
  private static void assertNamed(Schema<?> schema, String where) {
    assertNotNull(schema, where + ": schema");
    assertNotNull(schema.get$ref(), where + ": a named component schema ($ref)");
  }

  private static ApiResponse resolve(OpenAPI api, ApiResponse r) {
    return r.get$ref() == null
        ? r
        : api.getComponents()
            .getResponses()
            .get(r.get$ref().substring(r.get$ref().lastIndexOf('/') + 1));
  }

  private static OpenAPI parse(String name) throws Exception {
    String text = Files.readString(Path.of("src/main/webapp/api-docs", name));
    ParseOptions options = new ParseOptions();
    options.setResolve(false);
    return new OpenAPIV3Parser().readContents(text, null, options).getOpenAPI();
  }

  /**
   * Every JSON error answer lists its codes ({@code x-error-codes}); each listed code is one the
   * protocol has, answered with that status (a route's 500 code also as the 503 of a transient
   * database failure), and every code of the protocol is listed somewhere.
   */
  @ParameterizedTest
  @ValueSource(strings = {"rowsync.yaml", "agent-state.yaml", "operator.yaml"})
  void errorAnswersListTheirCodes(String name) throws Exception {
    OpenAPI api = parse(name);
    Map<String, Integer> known = new TreeMap<>();
    switch (name) {
      case "rowsync.yaml" -> {
        for (io.sealsync.rowsync.SyncError e : io.sealsync.rowsync.SyncError.values()) {
          known.put(e.code(), e.status());
        }
        known.put("method_not_allowed", 405);
        // Answered by the operator API's server writes (operator.yaml).
        known.keySet().removeAll(Set.of("no_captured_changes", "server_write_failed"));
      }
      case "agent-state.yaml" -> {
        for (io.sealsync.agentstate.AgentStateError e :
            io.sealsync.agentstate.AgentStateError.values()) {
          known.put(e.code(), e.status());
        }
        // The reference's vocabulary, never answered here (agent-state.md §14).
        known
            .keySet()
            .removeAll(Set.of("sequence_lookup_failed", "conflict_lookup_failed", "debit_failed"));
      }
      default -> {}
    }
    Set<String> listed = new TreeSet<>();
    for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
      for (Map.Entry<PathItem.HttpMethod, Operation> op :
          path.getValue().readOperationsMap().entrySet()) {
        for (Map.Entry<String, ApiResponse> r : op.getValue().getResponses().entrySet()) {
          String where = name + " " + op.getKey() + " " + path.getKey() + " " + r.getKey();
          ApiResponse response = resolve(api, r.getValue());
          if (r.getKey().charAt(0) < '4'
              || response.getContent() == null
              || !response.getContent().containsKey("application/json")
              || !String.valueOf(
                      response.getContent().get("application/json").getSchema().get$ref())
                  .endsWith("/Error")) {
            continue;
          }
          Object codes =
              response.getExtensions() == null
                  ? null
                  : response.getExtensions().get("x-error-codes");
          assertTrue(codes instanceof List<?> l && !l.isEmpty(), where + ": x-error-codes");
          for (Object c : (List<?>) codes) {
            String code = String.valueOf(c).replace(":<name>", "");
            listed.add(code);
            if (known.isEmpty()) {
              continue;
            }
            assertTrue(
                known.containsKey(code), where + ": " + code + " is no code of the protocol");
            int status = Integer.parseInt(r.getKey());
            int own = known.get(code);
            assertTrue(
                status == own || (own == 500 && status == 503),
                where + ": " + code + " is answered with " + own);
          }
        }
      }
    }
    Set<String> unlisted = new TreeSet<>(known.keySet());
    unlisted.removeAll(listed);
    assertEquals(Set.of(), unlisted, name + ": codes of the protocol no answer lists");
  }
}
