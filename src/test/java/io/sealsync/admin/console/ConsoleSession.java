package io.sealsync.admin.console;

import java.net.CookieHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a browser does for the console's OpenID Connect sign-in, over plain HTTP: a cookie jar, no
 * automatic redirects (each step is checked), and Keycloak's own login form filled in and posted.
 * The jar keeps cookies per host and port and ignores {@code Secure}, as browsers do for {@code
 * http://localhost}, where Keycloak sets its cookies {@code Secure} (the JDK's CookieManager would
 * drop them).
 */
final class ConsoleSession {
  private static final Pattern LOGIN_FORM =
      Pattern.compile("action=\"([^\"]*/login-actions/authenticate[^\"]*)\"");

  private final Jar cookies = new Jar();
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NEVER)
          .cookieHandler(cookies)
          .build();
  private final String base;

  ConsoleSession(String base) {
    this.base = base;
  }

  /** GET of a URL, or of a path of the application; {@code headers} as name, value pairs. */
  HttpResponse<String> get(String urlOrPath, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(urlOrPath)).timeout(Duration.ofSeconds(60));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b.GET().build());
  }

  /** A request of the console's own JavaScript to the operator API (JSON body or none). */
  HttpResponse<String> api(String method, String path, String json, boolean withHeader) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(60))
            .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    if (withHeader) {
      b.header(ConsoleSecurityFilter.HEADER, "console");
    }
    return send(b.build());
  }

  /** {@code /console/login}: must send the browser to the provider; answers where. */
  String startLogin() {
    HttpResponse<String> r = get("/console/login");
    expect(302, r);
    return location(r);
  }

  /** Keycloak's login page at {@code authorizationUrl}, filled in: answers its redirect back. */
  String keycloakLogin(String authorizationUrl, String user, String password) {
    HttpResponse<String> page = get(authorizationUrl);
    expect(200, page);
    Matcher m = LOGIN_FORM.matcher(page.body());
    if (!m.find()) {
      throw new AssertionError("no login form on Keycloak's page: " + page.body());
    }
    String action = m.group(1).replace("&amp;", "&");
    String form =
        Map.of("username", user, "password", password, "credentialId", "").entrySet().stream()
            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
            .collect(Collectors.joining("&"));
    HttpResponse<String> posted =
        send(
            HttpRequest.newBuilder(URI.create(action))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build());
    expect(302, posted);
    return location(posted);
  }

  /** The whole sign-in; answers the console's answer to the provider's redirect back. */
  HttpResponse<String> signIn(String user, String password) {
    return get(keycloakLogin(startLogin(), user, password));
  }

  /** The value of the application's session cookie, or null. */
  String sessionId() {
    return cookies
        .byOrigin
        .getOrDefault(URI.create(base).getRawAuthority(), Map.of())
        .get("JSESSIONID");
  }

  static String location(HttpResponse<?> r) {
    return r.headers()
        .firstValue("Location")
        .orElseThrow(() -> new AssertionError(r + " no Location"));
  }

  static void expect(int status, HttpResponse<String> r) {
    if (r.statusCode() != status) {
      throw new AssertionError(
          r.request().method() + " " + r.uri() + ": " + r.statusCode() + " " + r.body());
    }
  }

  private URI uri(String urlOrPath) {
    return URI.create(urlOrPath.startsWith("http") ? urlOrPath : base + urlOrPath);
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(request + " failed", e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Cookies by host and port, each sent back to where it came from. */
  private static final class Jar extends CookieHandler {
    final Map<String, Map<String, String>> byOrigin = new ConcurrentHashMap<>();

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
      Map<String, String> jar = byOrigin.getOrDefault(uri.getRawAuthority(), Map.of());
      if (jar.isEmpty()) {
        return Map.of();
      }
      return Map.of(
          "Cookie",
          List.of(
              jar.entrySet().stream()
                  .map(e -> e.getKey() + "=" + e.getValue())
                  .collect(Collectors.joining("; "))));
    }

    @Override
    public void put(URI uri, Map<String, List<String>> responseHeaders) {
      Map<String, String> jar =
          byOrigin.computeIfAbsent(uri.getRawAuthority(), k -> new ConcurrentHashMap<>());
      responseHeaders.forEach(
          (name, values) -> {
            if (name == null || !name.equalsIgnoreCase("Set-Cookie")) {
              return;
            }
            for (String v : values) {
              String[] pair = v.split(";", 2)[0].split("=", 2);
              String lower = v.toLowerCase(Locale.ROOT);
              if (pair.length < 2
                  || pair[1].isEmpty()
                  || lower.contains("max-age=0")
                  || lower.contains("expires=thu, 01 jan 1970")
                  || lower.contains("expires=thu, 01-jan-1970")) {
                jar.remove(pair[0].trim());
              } else {
                jar.put(pair[0].trim(), pair[1].trim());
              }
            }
          });
    }
  }
}
