package io.sealsync.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.Http;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.tags.Tag;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Where clients find the API descriptions, on every server: the three OpenAPI 3.1 documents at
 * /api-docs/&lt;name&gt;.yaml, without authentication, and GET /openapi (MicroProfile OpenAPI),
 * which lists them and describes only the operation serving them, rather than a scan of the
 * classes.
 */
@ExtendWith(ArquillianExtension.class)
class ApiDocsIT {
  private static final Map<String, String> TITLES =
      Map.of(
          "rowsync", "Sealsync row sync",
          "agent-state", "Sealsync agent state",
          "operator", "Sealsync operator API");

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

  private static OpenAPI parse(String text, String what) {
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(text, null, null);
    assertNotNull(parsed.getOpenAPI(), what + " parses: " + parsed.getMessages());
    return parsed.getOpenAPI();
  }

  @Test
  void theThreeDocumentsAreServedWithoutAuthentication() {
    for (Map.Entry<String, String> doc : TITLES.entrySet()) {
      String path = "/api-docs/" + doc.getKey() + ".yaml";
      Http.Reply r = http.send("GET", path, null, null);
      assertEquals(200, r.status(), path);
      assertTrue(r.contentType().startsWith("application/yaml"), path + ": " + r.contentType());
      OpenAPI api = parse(r.text(), path);
      assertTrue(api.getOpenapi().startsWith("3.1."), path + ": " + api.getOpenapi());
      assertEquals(doc.getValue(), api.getInfo().getTitle(), path);
      assertTrue(api.getPaths().size() > 5, path + ": its operations");
    }
    Http.Reply unknown = http.send("GET", "/api-docs/nope.yaml", null, null);
    assertEquals(404, unknown.status());
    assertEquals("not_found", unknown.error());
  }

  @Test
  void openapiListsTheDocumentsAndDescribesOnlyTheOperationServingThem() {
    Http.Reply r = http.send("GET", "/openapi", null, null);
    assertEquals(200, r.status(), r.text());
    OpenAPI index = parse(r.text(), "/openapi");
    assertEquals("Sealsync APIs", index.getInfo().getTitle());
    // Not a scan of the JAX-RS classes, whose operations would be wrong (no bodies, no errors).
    assertEquals(Set.of("/api-docs/{name}.yaml"), index.getPaths().keySet(), r.text());
    List<String> urls =
        index.getTags().stream().map(Tag::getExternalDocs).map(d -> d.getUrl()).toList();
    assertEquals(
        List.of("/api-docs/rowsync.yaml", "/api-docs/agent-state.yaml", "/api-docs/operator.yaml"),
        urls);
    for (String url : urls) {
      assertTrue(index.getInfo().getDescription().contains(url), "described: " + url);
      assertEquals(200, http.send("GET", url, null, null).status(), url);
    }
    // The same as JSON, for tools that ask for it.
    Http.Reply json =
        http.send("GET", "/openapi", null, Map.of("Accept", "application/json"), null);
    assertEquals(200, json.status());
    assertTrue(json.contentType().startsWith("application/json"), json.contentType());
    assertEquals("Sealsync APIs", json.json().getJsonObject("info").getString("title"));
  }
}
