package io.sealsync.platform;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * One API document of {@code src/main/webapp/api-docs} as a contract for real traffic: finds the
 * operation a request addresses (under each of its servers, i.e. URL prefixes), checks the request
 * against the operation's parameters, security and body schema, and the answer against its
 * documented statuses, content types, headers and body schemas. Body and parameter schemas are
 * validated as JSON Schema 2020-12 with the OpenAPI 3.1 dialect (networknt json-schema-validator),
 * straight from the document; the document model (paths, operations, responses) comes from
 * swagger-parser. It records every operation a request reached, so that a walk can prove it reached
 * them all.
 */
final class ApiContract {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  final String name;
  private final OpenAPI api;
  private final String base;
  private final SchemaRegistry registry;
  private final JsonNode root;
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
  private final Set<String> reached = ConcurrentHashMap.newKeySet();
  private final Set<String> answered = ConcurrentHashMap.newKeySet();

  /** A request as sent and the answer as received. */
  record Exchange(
      String method,
      String target,
      Map<String, String> requestHeaders,
      byte[] requestBody,
      int status,
      Map<String, List<String>> responseHeaders,
      byte[] responseBody) {
    String responseHeader(String name) {
      for (Map.Entry<String, List<String>> h : responseHeaders.entrySet()) {
        if (h.getKey() != null && h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
          return h.getValue().get(0);
        }
      }
      return null;
    }

    String requestHeader(String name) {
      for (Map.Entry<String, String> h : requestHeaders.entrySet()) {
        if (h.getKey().equalsIgnoreCase(name)) {
          return h.getValue();
        }
      }
      return null;
    }
  }

  private record Match(
      String server, String path, PathItem item, Map<String, String> pathParameters) {}

  private ApiContract(String name, OpenAPI api, String json) {
    this.name = name;
    this.api = api;
    this.base = "https://sealsync.invalid/api-docs/" + name;
    this.root = JSON.readTree(json);
    this.registry =
        SchemaRegistry.withDefaultDialect(
            Dialects.getOpenApi31(),
            b ->
                b.schemas(Map.of(base, json))
                    .schemaRegistryConfig(
                        SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
  }

  /** The document {@code name} as served (YAML text). */
  static ApiContract load(String name, String yaml) {
    ParseOptions options = new ParseOptions();
    options.setResolve(false);
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(yaml, null, options);
    if (parsed.getOpenAPI() == null || !parsed.getMessages().isEmpty()) {
      throw new IllegalArgumentException(name + ": " + parsed.getMessages());
    }
    // SnakeYAML resolves anchors and aliases; the validator then reads the same tree as JSON.
    LoaderOptions loading = new LoaderOptions();
    loading.setMaxAliasesForCollections(10_000);
    Object tree = new Yaml(new SafeConstructor(loading)).load(yaml);
    return new ApiContract(name, parsed.getOpenAPI(), JSON.writeValueAsString(tree));
  }

  /**
   * Every example of the document checked against its schema: a media type's or parameter's {@code
   * example} and {@code examples} values, and a schema's {@code examples}.
   */
  List<String> checkExamples() {
    List<String> problems = new ArrayList<>();
    examples(root, "", problems);
    return problems;
  }

  private void examples(JsonNode node, String pointer, List<String> problems) {
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        examples(node.get(i), pointer + "/" + i, problems);
      }
      return;
    }
    if (!node.isObject()) {
      return;
    }
    if (node.has("schema") && node.get("schema").isObject()) {
      if (node.has("example")) {
        for (String e : validate(pointer + "/schema", node.get("example"))) {
          problems.add(pointer + "/example: " + e);
        }
      }
      if (node.has("examples") && node.get("examples").isObject()) {
        for (Map.Entry<String, JsonNode> e : node.get("examples").properties()) {
          for (String error : validate(pointer + "/schema", e.getValue().get("value"))) {
            problems.add(pointer + "/examples/" + e.getKey() + ": " + error);
          }
        }
      }
    }
    boolean schema = pointer.startsWith("/components/schemas/") || pointer.endsWith("/schema");
    if (schema && node.has("examples") && node.get("examples").isArray()) {
      for (int i = 0; i < node.get("examples").size(); i++) {
        for (String e : validate(pointer, node.get("examples").get(i))) {
          problems.add(pointer + "/examples/" + i + ": " + e);
        }
      }
    }
    for (Map.Entry<String, JsonNode> child : node.properties()) {
      if (!child.getKey().equals("example") && !child.getKey().equals("examples")) {
        examples(child.getValue(), pointer + "/" + escape(child.getKey()), problems);
      }
    }
  }

  /** Every operation under every server it is served at: "server METHOD path". */
  Set<String> operations() {
    Set<String> all = new TreeSet<>();
    api.getPaths()
        .forEach(
            (path, item) ->
                item.readOperationsMap()
                    .forEach(
                        (method, op) -> {
                          for (String server : servers(item, op)) {
                            all.add(key(server, method.name(), path));
                          }
                        }));
    return all;
  }

  Set<String> reached() {
    return new TreeSet<>(reached);
  }

  /** "METHOD path status" of every checked answer, for the report. */
  Set<String> answered() {
    return new TreeSet<>(answered);
  }

  private static String key(String server, String method, String path) {
    return (server.isEmpty() ? "" : server + " ") + method + " " + path;
  }

  private List<String> servers(PathItem item, Operation op) {
    List<Server> s =
        op.getServers() != null && !op.getServers().isEmpty()
            ? op.getServers()
            : item.getServers() != null && !item.getServers().isEmpty()
                ? item.getServers()
                : api.getServers();
    List<String> urls = new ArrayList<>();
    if (s == null || s.isEmpty()) {
      urls.add("");
    } else {
      for (Server server : s) {
        String url = server.getUrl();
        urls.add(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
      }
    }
    return urls;
  }

  /**
   * Checks one exchange; returns what the document does not describe (empty when all is as
   * documented). {@code validRequest}: the request is meant to be a valid one (then it is checked
   * too); a deliberately bad request is only used to provoke a documented error answer.
   */
  List<String> check(Exchange x, boolean validRequest) {
    List<String> problems = new ArrayList<>();
    String rawPath = x.target().split("\\?", 2)[0];
    String rawQuery = x.target().contains("?") ? x.target().split("\\?", 2)[1] : null;
    Match match = match(rawPath);
    String where = x.method() + " " + x.target() + " -> " + x.status();
    if (match == null) {
      problems.add(where + ": no documented path matches");
      return problems;
    }
    Operation op =
        match.item().readOperationsMap().get(PathItem.HttpMethod.valueOf(x.method().toUpperCase()));
    String pointer = "/paths/" + escape(match.path());
    if (op == null) {
      // A method the path does not have: its answer must be one every operation of the path
      // documents (405, or the agent-state protocol's 404).
      for (Map.Entry<PathItem.HttpMethod, Operation> other :
          match.item().readOperationsMap().entrySet()) {
        List<String> p =
            checkResponse(
                x,
                other.getValue(),
                pointer + "/" + other.getKey().name().toLowerCase(Locale.ROOT),
                where);
        problems.addAll(p);
      }
      return problems;
    }
    String opPointer = pointer + "/" + x.method().toLowerCase(Locale.ROOT);
    reached.add(key(match.server(), x.method().toUpperCase(), match.path()));
    answered.add(x.method().toUpperCase() + " " + match.path() + " " + x.status());
    if (validRequest) {
      problems.addAll(checkRequest(x, match, op, opPointer, rawQuery, where));
    }
    problems.addAll(checkResponse(x, op, opPointer, where));
    return problems;
  }

  private Match match(String rawPath) {
    Match best = null;
    int bestScore = -1;
    for (Map.Entry<String, PathItem> p : api.getPaths().entrySet()) {
      PathItem item = p.getValue();
      Set<String> prefixes = new TreeSet<>();
      for (Operation op : item.readOperations()) {
        prefixes.addAll(servers(item, op));
      }
      for (String server : prefixes) {
        if (!rawPath.startsWith(server + "/")) {
          continue;
        }
        String rest = rawPath.substring(server.length());
        String[] template = p.getKey().split("/", -1);
        String[] actual = rest.split("/", -1);
        if (template.length != actual.length) {
          continue;
        }
        Map<String, String> params = new LinkedHashMap<>();
        int literal = 0;
        boolean ok = true;
        for (int i = 0; i < template.length && ok; i++) {
          String t = template[i];
          if (t.startsWith("{") && t.endsWith("}")) {
            ok = !actual[i].isEmpty();
            params.put(t.substring(1, t.length() - 1), decode(actual[i]));
          } else {
            ok = t.equals(actual[i]);
            literal++;
          }
        }
        // The most literal template wins (snapshot/{agent}/latest over snapshot/{agent}/{seq}),
        // then the longest prefix.
        int score = literal * 1000 + server.length();
        if (ok && score > bestScore) {
          best = new Match(server, p.getKey(), item, params);
          bestScore = score;
        }
      }
    }
    return best;
  }

  private List<String> checkRequest(
      Exchange x, Match match, Operation op, String opPointer, String rawQuery, String where) {
    List<String> problems = new ArrayList<>();
    Map<String, List<String>> query = new TreeMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        String[] kv = pair.split("=", 2);
        query
            .computeIfAbsent(decode(kv[0]), k -> new ArrayList<>())
            .add(kv.length > 1 ? decode(kv[1]) : "");
      }
    }
    Map<String, String> documented = new TreeMap<>();
    List<Parameter> parameters = new ArrayList<>();
    List<String> pointers = new ArrayList<>();
    collect(match.item().getParameters(), "/paths/" + escape(match.path()), parameters, pointers);
    collect(op.getParameters(), opPointer, parameters, pointers);
    for (int i = 0; i < parameters.size(); i++) {
      Parameter p = parameters.get(i);
      String value =
          switch (p.getIn()) {
            case "path" -> match.pathParameters().get(p.getName());
            case "query" -> query.containsKey(p.getName()) ? query.get(p.getName()).get(0) : null;
            case "header" -> x.requestHeader(p.getName());
            default -> null;
          };
      documented.put(p.getIn() + ":" + p.getName(), p.getName());
      if (value == null) {
        if (Boolean.TRUE.equals(p.getRequired())) {
          problems.add(
              where + ": required " + p.getIn() + " parameter " + p.getName() + " missing");
        }
        continue;
      }
      for (String error : validate(pointers.get(i) + "/schema", scalar(pointers.get(i), value))) {
        problems.add(where + ": " + p.getIn() + " parameter " + p.getName() + ": " + error);
      }
    }
    for (String q : query.keySet()) {
      if (!documented.containsKey("query:" + q)) {
        problems.add(where + ": query parameter " + q + " is not documented");
      }
    }
    problems.addAll(checkSecurity(x, op, where));
    if (op.getRequestBody() != null) {
      String bodyPointer = opPointer + "/requestBody";
      var body = op.getRequestBody();
      if (body.get$ref() != null) {
        bodyPointer = refPointer(body.get$ref());
        body = api.getComponents().getRequestBodies().get(lastSegment(body.get$ref()));
      }
      if (x.requestBody() == null || x.requestBody().length == 0) {
        if (Boolean.TRUE.equals(body.getRequired())) {
          problems.add(where + ": the request body is required");
        }
      } else {
        String type = mediaType(x.requestHeader("Content-Type"));
        if (type == null || body.getContent() == null || !body.getContent().containsKey(type)) {
          problems.add(where + ": request content type " + type + " is not documented");
        } else {
          problems.addAll(
              body(
                  where + ": request body",
                  type,
                  x.requestBody(),
                  bodyPointer + "/content/" + escape(type) + "/schema"));
        }
      }
    } else if (x.requestBody() != null && x.requestBody().length > 0) {
      problems.add(where + ": a request body the operation does not document");
    }
    return problems;
  }

  private List<String> checkSecurity(Exchange x, Operation op, String where) {
    List<SecurityRequirement> security =
        op.getSecurity() != null ? op.getSecurity() : api.getSecurity();
    if (security == null || security.isEmpty()) {
      return List.of();
    }
    String authorization = x.requestHeader("Authorization");
    for (SecurityRequirement requirement : security) {
      if (requirement.isEmpty()) {
        return List.of();
      }
      boolean all = true;
      for (String scheme : requirement.keySet()) {
        SecurityScheme s = api.getComponents().getSecuritySchemes().get(scheme);
        all &=
            s != null
                && s.getType() == SecurityScheme.Type.HTTP
                && authorization != null
                && authorization
                    .toLowerCase(Locale.ROOT)
                    .startsWith(s.getScheme().toLowerCase(Locale.ROOT) + " ");
      }
      if (all) {
        return List.of();
      }
    }
    return List.of(where + ": the request meets none of the security requirements " + security);
  }

  private void collect(
      List<Parameter> from, String pointer, List<Parameter> into, List<String> pointers) {
    if (from == null) {
      return;
    }
    for (int i = 0; i < from.size(); i++) {
      Parameter p = from.get(i);
      String at = pointer + "/parameters/" + i;
      if (p.get$ref() != null) {
        at = refPointer(p.get$ref());
        p = api.getComponents().getParameters().get(lastSegment(p.get$ref()));
      }
      // An operation's parameter replaces the path item's of the same name and location.
      for (int j = 0; j < into.size(); j++) {
        if (into.get(j).getName().equals(p.getName()) && into.get(j).getIn().equals(p.getIn())) {
          into.remove(j);
          pointers.remove(j);
          break;
        }
      }
      into.add(p);
      pointers.add(at);
    }
  }

  private List<String> checkResponse(Exchange x, Operation op, String opPointer, String where) {
    List<String> problems = new ArrayList<>();
    String status = String.valueOf(x.status());
    String statusKey =
        op.getResponses().containsKey(status)
            ? status
            : op.getResponses().containsKey(status.charAt(0) + "XX")
                ? status.charAt(0) + "XX"
                : op.getResponses().containsKey("default") ? "default" : null;
    if (statusKey == null) {
      problems.add(
          where
              + ": status "
              + status
              + " is not documented (body: "
              + preview(x.responseBody())
              + ")");
      return problems;
    }
    ApiResponse response = op.getResponses().get(statusKey);
    String pointer = opPointer + "/responses/" + escape(statusKey);
    if (response.get$ref() != null) {
      pointer = refPointer(response.get$ref());
      response = api.getComponents().getResponses().get(lastSegment(response.get$ref()));
    }
    if (response.getHeaders() != null) {
      for (Map.Entry<String, Header> h : response.getHeaders().entrySet()) {
        Header header = h.getValue();
        String headerPointer = pointer + "/headers/" + escape(h.getKey());
        if (header.get$ref() != null) {
          headerPointer = refPointer(header.get$ref());
          header = api.getComponents().getHeaders().get(lastSegment(header.get$ref()));
        }
        String value = x.responseHeader(h.getKey());
        if (value == null) {
          if (Boolean.TRUE.equals(header.getRequired())) {
            problems.add(where + ": required response header " + h.getKey() + " missing");
          }
          continue;
        }
        for (String error : validate(headerPointer + "/schema", scalar(headerPointer, value))) {
          problems.add(where + ": response header " + h.getKey() + ": " + error);
        }
      }
    }
    Map<String, MediaType> content = response.getContent();
    boolean empty = x.responseBody() == null || x.responseBody().length == 0;
    if (content == null || content.isEmpty()) {
      if (!empty) {
        problems.add(where + ": a body where the document has none: " + preview(x.responseBody()));
      }
      return problems;
    }
    String type = mediaType(x.responseHeader("Content-Type"));
    if (type == null || !content.containsKey(type)) {
      problems.add(
          where
              + ": content type "
              + x.responseHeader("Content-Type")
              + " is not one of "
              + content.keySet()
              + " (body: "
              + preview(x.responseBody())
              + ")");
      return problems;
    }
    problems.addAll(checkErrorCode(x, response, type, where));
    if (content.get(type).getSchema() != null && x.responseBody() != null) {
      problems.addAll(
          body(
              where + ": response body",
              type,
              x.responseBody(),
              pointer + "/content/" + escape(type) + "/schema"));
    }
    return problems;
  }

  /**
   * An error answer's {@code error} code must be one its response lists in {@code x-error-codes}
   * (the machine-readable list of the codes in its description).
   */
  private List<String> checkErrorCode(Exchange x, ApiResponse response, String type, String where) {
    if (x.status() < 400 || !type.equals("application/json")) {
      return List.of();
    }
    Object listed =
        response.getExtensions() == null ? null : response.getExtensions().get("x-error-codes");
    String code;
    try {
      JsonNode error = JSON.readTree(x.responseBody()).get("error");
      code = error == null ? null : error.asString();
    } catch (RuntimeException e) {
      return List.of();
    }
    if (!(listed instanceof List<?> codes)) {
      return List.of(where + ": the response lists no x-error-codes (got " + code + ")");
    }
    for (Object listedCode : codes) {
      String c = String.valueOf(listedCode);
      // A code with a part named in angle brackets (missing_field:<name>) stands for a family.
      if (c.equals(code)
          || (c.contains("<") && code != null && code.startsWith(c.substring(0, c.indexOf('<'))))) {
        return List.of();
      }
    }
    return List.of(where + ": error code " + code + " is not among " + codes);
  }

  private List<String> body(String what, String type, byte[] bytes, String schemaPointer) {
    JsonNode node;
    if (type.equals("application/x-ndjson")) {
      // Newline-delimited JSON: each line is one value of the schema.
      List<String> problems = new ArrayList<>();
      for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          problems.addAll(
              body(what, "application/json", line.getBytes(StandardCharsets.UTF_8), schemaPointer));
        }
      }
      return problems;
    }
    if (type.equals("application/json") || type.endsWith("+json")) {
      try {
        node = JSON.readTree(bytes);
      } catch (RuntimeException e) {
        return List.of(what + " is no JSON: " + preview(bytes));
      }
    } else if (type.startsWith("text/") && !type.equals("text/event-stream")) {
      node = JsonNodeFactory.instance.stringNode(new String(bytes, StandardCharsets.UTF_8));
    } else {
      // A stream or binary content: the content type is the contract.
      return List.of();
    }
    List<String> problems = new ArrayList<>();
    for (String error : validate(schemaPointer, node)) {
      problems.add(what + ": " + error + " in " + preview(bytes));
    }
    return problems;
  }

  /** A parameter or header value as the JSON its schema's type asks for. */
  private JsonNode scalar(String pointer, String value) {
    JsonNode schema = schemaNode(pointer + "/schema");
    String type = schema == null ? "string" : schema.path("type").asString("string");
    try {
      return switch (type) {
        case "integer" -> JsonNodeFactory.instance.numberNode(new java.math.BigInteger(value));
        case "number" -> JsonNodeFactory.instance.numberNode(new java.math.BigDecimal(value));
        case "boolean" ->
            value.equals("true") || value.equals("false")
                ? JsonNodeFactory.instance.booleanNode(Boolean.parseBoolean(value))
                : JsonNodeFactory.instance.stringNode(value);
        default -> JsonNodeFactory.instance.stringNode(value);
      };
    } catch (NumberFormatException e) {
      return JsonNodeFactory.instance.stringNode(value);
    }
  }

  private JsonNode schemaNode(String pointer) {
    try {
      Schema s = schema(pointer);
      JsonNode node = s.getSchemaNode();
      // Follow one $ref (a parameter's schema that names a component).
      if (node.has("$ref")) {
        return schema(refPointer(node.get("$ref").asString())).getSchemaNode();
      }
      return node;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private Schema schema(String pointer) {
    return schemas.computeIfAbsent(
        pointer, p -> registry.getSchema(SchemaLocation.of(base + "#" + p)));
  }

  private List<String> validate(String pointer, JsonNode value) {
    List<String> errors = new ArrayList<>();
    for (com.networknt.schema.Error e : schema(pointer).validate(value)) {
      errors.add(e.toString());
    }
    return errors;
  }

  private static String refPointer(String ref) {
    if (!ref.startsWith("#")) {
      throw new IllegalArgumentException("only local references: " + ref);
    }
    return ref.substring(1);
  }

  private static String lastSegment(String ref) {
    return ref.substring(ref.lastIndexOf('/') + 1);
  }

  /** A JSON pointer segment. */
  private static String escape(String segment) {
    return segment.replace("~", "~0").replace("/", "~1");
  }

  private static String mediaType(String contentType) {
    return contentType == null
        ? null
        : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String preview(byte[] bytes) {
    if (bytes == null) {
      return "";
    }
    String s = new String(bytes, StandardCharsets.UTF_8);
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }
}
