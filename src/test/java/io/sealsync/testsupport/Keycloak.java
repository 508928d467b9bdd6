package io.sealsync.testsupport;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The test run's Keycloak ({@link KeycloakServer}) as a client sees it: tokens of the realm {@code
 * sealsync} (src/test/resources/keycloak/sealsync-realm.json) and, as its administrator, a key
 * rotation.
 */
public final class Keycloak {
  public static final String REALM = "sealsync";

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private static volatile boolean ready;

  private Keycloak() {}

  public static int port() {
    return Integer.getInteger("sealsync.test.keycloak.port", 18080);
  }

  /** The realm's issuer, as the test servers are configured to trust it. */
  public static String issuer() {
    return issuer("localhost");
  }

  /** The issuer of tokens requested through {@code host}: Keycloak names the host it was asked. */
  public static String issuer(String host) {
    return "http://" + host + ":" + port() + "/realms/" + REALM;
  }

  /** Waits until the realm answers: Keycloak boots in the background while other tests run. */
  public static void awaitReady() throws InterruptedException {
    if (ready) {
      return;
    }
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + Duration.ofMinutes(8).toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = CLIENT.send(probe, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          ready = true;
          return;
        }
        last = r.statusCode() + " " + r.body();
      } catch (java.io.IOException e) {
        last = e.toString();
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException(
        "Keycloak's realm did not answer within 8 minutes (see target/keycloak/keycloak.log): "
            + last);
  }

  /** A user's access token by the password grant of a public client. */
  public static String passwordToken(String clientId, String user, String password) {
    return passwordToken("localhost", clientId, user, password);
  }

  /** The same, asked through {@code host}, which becomes the token's issuer. */
  public static String passwordToken(String host, String clientId, String user, String password) {
    return token(
        issuer(host),
        Map.of(
            "grant_type", "password",
            "client_id", clientId,
            "username", user,
            "password", password,
            "scope", "openid"));
  }

  /** A service account's access token by the client credentials grant. */
  public static String serviceToken(String host, String clientId, String secret) {
    return token(
        issuer(host),
        Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
  }

  private static String token(String issuer, Map<String, String> form) {
    JsonObject r = post(issuer + "/protocol/openid-connect/token", null, form);
    return r.getString("access_token");
  }

  /** The decoded payload of a compact JWT (unverified). */
  public static JsonObject claims(String jwt) {
    return parse(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), UTF8));
  }

  /** The decoded header of a compact JWT. */
  public static JsonObject header(String jwt) {
    return parse(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), UTF8));
  }

  /**
   * Rotates the realm's signing key as an administrator would: a new RS256 key of higher priority,
   * then the key that signed until now disabled (so it leaves the realm's key set). Answers the key
   * id of the old key.
   */
  public static String rotateSigningKey() {
    String admin =
        token(
            "http://localhost:" + port() + "/realms/master",
            Map.of(
                "grant_type",
                "password",
                "client_id",
                "admin-cli",
                "username",
                KeycloakServer.ADMIN_USER,
                "password",
                KeycloakServer.ADMIN_PASSWORD));
    String api = "http://localhost:" + port() + "/admin/realms/" + REALM;
    JsonObject keys = parse(send("GET", api + "/keys", admin, null).body());
    String oldKid = keys.getJsonObject("active").getString("RS256");
    JsonObject old =
        keys.getJsonArray("keys").getValuesAs(JsonObject.class).stream()
            .filter(k -> oldKid.equals(k.getString("kid", null)))
            .findFirst()
            .orElseThrow();
    String realmId = parse(send("GET", api, admin, null).body()).getString("id");
    JsonObject component =
        Json.createObjectBuilder()
            .add("name", "rsa-rotated-" + System.nanoTime())
            .add("providerId", "rsa-generated")
            .add("providerType", "org.keycloak.keys.KeyProvider")
            .add("parentId", realmId)
            .add(
                "config",
                Json.createObjectBuilder()
                    .add(
                        "priority",
                        list(
                            Long.toString(old.getJsonNumber("providerPriority").longValue() + 100)))
                    .add("enabled", list("true"))
                    .add("active", list("true"))
                    .add("algorithm", list("RS256"))
                    .add("keySize", list("2048")))
            .build();
    expect(201, send("POST", api + "/components", admin, component.toString()));
    String providerId = old.getString("providerId");
    JsonObject provider = parse(send("GET", api + "/components/" + providerId, admin, null).body());
    JsonObjectBuilder config = Json.createObjectBuilder(provider.getJsonObject("config"));
    config.add("enabled", list("false"));
    config.add("active", list("false"));
    JsonObject disabled = Json.createObjectBuilder(provider).add("config", config).build();
    expect(204, send("PUT", api + "/components/" + providerId, admin, disabled.toString()));
    return oldKid;
  }

  private static jakarta.json.JsonArray list(String value) {
    return Json.createArrayBuilder().add(value).build();
  }

  private static void expect(int status, HttpResponse<String> r) {
    if (r.statusCode() != status) {
      throw new IllegalStateException(
          "Keycloak answered " + r.statusCode() + " " + r.body() + " to " + r.request());
    }
  }

  private static JsonObject post(String url, String bearer, Map<String, String> form) {
    String body =
        new LinkedHashMap<>(form)
            .entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> r = call(b.build());
    expect(200, r);
    return parse(r.body());
  }

  private static HttpResponse<String> send(String method, String url, String bearer, String json) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + bearer)
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    return call(b.build());
  }

  private static HttpResponse<String> call(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(request + " failed", e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, UTF8);
  }

  private static JsonObject parse(String json) {
    try (var r = Json.createReader(new StringReader(json))) {
      return r.readObject();
    }
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;
}
