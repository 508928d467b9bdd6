package io.sealsync.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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
      }
    }
  }
}
