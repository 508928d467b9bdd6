package io.sealsync.testsupport;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

/** A small black-box HTTP client for the integration tests. */
public final class Http {
  public static final String ADMIN_USER = "admin";
  public static final String ADMIN_PASSWORD = "sealsync-dev-admin";

  private static final HttpClient CLIENT =
      // HTTP/1.1 as the shipping clients speak it (Node's fetch, Go's net/http on plain http);
      // the JDK client would otherwise upgrade to h2c and multiplex every test thread over one
      // connection, which is not the traffic a server sees from real clients.
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private final String base;

  public Http(URL base) {
    String s = base.toString();
    this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  public record Reply(int status, String contentType, byte[] bytes) {
    public String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    public JsonObject json() {
      return (JsonObject) structure();
    }

    public JsonArray array() {
      return (JsonArray) structure();
    }

    private JsonStructure structure() {
      try (var r = Json.createReader(new StringReader(text()))) {
        return r.read();
      }
    }

    public String error() {
      return json().getString("error");
    }
  }

  /** The server's base URL, without a trailing slash. */
  public String base() {
    return base;
  }

  public static String newProjectToken() {
    return "sov_proj_" + UUID.randomUUID();
  }

  public Reply send(String method, String path, String authorization, byte[] body) {
    return send(method, path, authorization, java.util.Map.of(), body);
  }

  /** A request with extra headers (null values are left out). */
  public Reply send(
      String method,
      String path,
      String authorization,
      java.util.Map<String, String> headers,
      byte[] body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    headers.forEach(
        (name, value) -> {
          if (value != null) {
            b.header(name, value);
          }
        });
    try {
      HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(
          r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body());
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    }
  }

  /**
   * A request whose whole response, headers included, the caller inspects; transport failures
   * (refused connection, reset, timeout) are thrown as they are, for tests that expect them.
   */
  public HttpResponse<byte[]> exchange(
      String method,
      String path,
      String authorization,
      java.util.Map<String, String> headers,
      byte[] body)
      throws java.io.IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    headers.forEach(b::header);
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A GET whose whole response, headers included, the caller inspects. */
  public HttpResponse<byte[]> sendWithHeaders(String method, String path, String authorization) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    try {
      return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    }
  }

  /**
   * A GET of the server's health endpoint {@code path} (e.g. {@code /health/ready}): at the
   * application's own URL, except where the server under test serves health elsewhere (WildFly: on
   * its management interface; see {@link AppServerContainer}).
   */
  public Reply health(String path) {
    String healthBase = System.getProperty(AppServerContainer.HEALTH_URL_PROPERTY);
    if (healthBase == null) {
      return send("GET", path, null, null);
    }
    return new Http(toUrl(healthBase)).send("GET", path, null, null);
  }

  private static URL toUrl(String url) {
    try {
      return URI.create(url).toURL();
    } catch (java.net.MalformedURLException e) {
      throw new IllegalArgumentException(url, e);
    }
  }

  public Reply get(String path, String token) {
    return send("GET", path, bearer(token), null);
  }

  public Reply post(String path, String token, String json) {
    return send("POST", path, bearer(token), json.getBytes(StandardCharsets.UTF_8));
  }

  public Reply admin(String method, String path, String json) {
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (ADMIN_USER + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    return send(method, path, basic, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
  }

  private static String bearer(String token) {
    return token == null ? null : "Bearer " + token;
  }

  /**
   * Creates a tenant with {@code cents} of credit and a live key; returns the tenant id and raw
   * key.
   */
  public LiveTenant liveTenant(long cents, String scopesJson, String expiresAt) {
    Reply t = admin("POST", "/admin/tenants", "{\"name\":\"t-" + UUID.randomUUID() + "\"}");
    if (t.status() != 201) {
      throw new IllegalStateException("tenant not created: " + t.status() + " " + t.text());
    }
    long tenantId = t.json().getJsonNumber("tenant_id").longValue();
    if (cents > 0) {
      Reply c =
          admin("POST", "/admin/tenants/" + tenantId + "/credits", "{\"cents\":" + cents + "}");
      if (c.status() != 200) {
        throw new IllegalStateException("credits not added: " + c.status() + " " + c.text());
      }
    }
    StringBuilder key = new StringBuilder("{\"name\":\"test\"");
    if (scopesJson != null) {
      key.append(",\"scopes\":").append(scopesJson);
    }
    if (expiresAt != null) {
      key.append(",\"expires_at\":\"").append(expiresAt).append('"');
    }
    key.append('}');
    Reply k = admin("POST", "/admin/tenants/" + tenantId + "/keys", key.toString());
    if (k.status() != 201) {
      throw new IllegalStateException("key not issued: " + k.status() + " " + k.text());
    }
    return new LiveTenant(
        tenantId, k.json().getJsonNumber("id").longValue(), k.json().getString("key"));
  }

  public record LiveTenant(long tenantId, long keyId, String key) {}
}
