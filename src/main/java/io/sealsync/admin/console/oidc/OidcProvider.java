package io.sealsync.admin.console.oidc;

import io.sealsync.platform.JsonFactory;
import io.sealsync.security.OperatorTokens;
import io.sealsync.security.TokenVerifier;
import io.sealsync.security.UserTokens;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;

/**
 * The console's OpenID Connect client: the authorization code flow with PKCE against the provider
 * that {@code sealsync.console.oidc.issuer} names, the same on every application server. The
 * provider's endpoints come from its discovery document, fetched on first use and again after an
 * hour. The ID token is checked with the project's JWT verifier ({@link TokenVerifier}: signature
 * by the provider's JWKS, issuer, audience = the client id, expiry) and must carry the login's
 * nonce; whether the person is an operator is decided from the access token exactly as for the
 * operator API's bearer tokens ({@link OperatorTokens}), so that one person has one name and one
 * role whichever way they come in.
 */
@ApplicationScoped
public class OidcProvider {
  private static final Logger LOG = Logger.getLogger(OidcProvider.class.getName());

  public static final String PREFIX = "sealsync.console.oidc";
  static final Duration DISCOVERY_TTL = Duration.ofHours(1);
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** The console's OpenID Connect settings, as MicroProfile Config gives them. */
  public record Settings(
      Optional<String> issuer,
      Optional<String> clientId,
      Optional<String> clientSecret,
      String scopes,
      Optional<String> baseUrl) {
    static Settings from(Config c) {
      return new Settings(
          text(c, PREFIX + ".issuer").map(i -> i.replaceAll("/+$", "")),
          text(c, PREFIX + ".client-id"),
          text(c, PREFIX + ".client-secret"),
          text(c, PREFIX + ".scopes").orElse("openid"),
          text(c, PREFIX + ".base-url").map(b -> b.replaceAll("/+$", "")));
    }

    private static Optional<String> text(Config c, String name) {
      return c.getOptionalValue(name, String.class).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** The scope parameter: the configured scopes, with {@code openid} always among them. */
    String scopeParameter() {
      String s = scopes.trim().replaceAll("\\s+", " ");
      return (" " + s + " ").contains(" openid ") ? s : ("openid " + s).trim();
    }
  }

  /** Why a sign-in step cannot go on: an HTTP status for the page, and what to tell the user. */
  public static final class Refused extends Exception {
    private final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** The parts of the provider's discovery document the console uses. */
  record Discovery(
      URI authorization,
      URI token,
      String jwksUri,
      Optional<URI> endSession,
      boolean secretBasic,
      Instant fetched) {}

  @Inject Config config;
  @Inject OperatorTokens tokens;

  private final SecureRandom random = new SecureRandom();
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private Settings settings;
  private String refusal;
  private Discovery discovery;
  private TokenVerifier idTokens;
  private String idTokensJwks;

  @PostConstruct
  void init() {
    settings = Settings.from(config);
    if (settings.issuer().isEmpty()) {
      LOG.info(
          "Console: no OpenID Connect provider ("
              + PREFIX
              + ".issuer); operators sign in through the server's user registry");
      return;
    }
    if (settings.clientId().isEmpty()) {
      refusal = PREFIX + ".client-id is not set";
    } else if (!tokens.configured()) {
      refusal =
          "the console decides who is an operator with the operator API's token settings"
              + " (sealsync.admin.jwt.*), which are not set or not usable";
    }
    if (refusal != null) {
      LOG.severe("Console refuses OpenID Connect sign-in: " + refusal);
    } else {
      LOG.info(
          "Console signs operators in with OpenID Connect: issuer "
              + settings.issuer().get()
              + ", client "
              + settings.clientId().get()
              + (settings.clientSecret().isPresent() ? " (confidential)" : " (public, PKCE)")
              + ", scopes "
              + settings.scopeParameter());
    }
  }

  /** Reads the configuration at start, so that the log says at once how the console signs in. */
  void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    enabled();
  }

  /** Whether an issuer is configured: the console then signs in through it. */
  public boolean enabled() {
    return settings.issuer().isPresent();
  }

  /** Why the configured OpenID Connect sign-in cannot work, or empty. */
  public Optional<String> refusal() {
    return Optional.ofNullable(refusal);
  }

  /** The console's external base URL: {@code sealsync.console.oidc.base-url} or the request's. */
  public String base(HttpServletRequest req) {
    if (settings.baseUrl().isPresent()) {
      return settings.baseUrl().get();
    }
    String scheme = req.getScheme();
    int port = req.getServerPort();
    boolean usual = scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
    return scheme + "://" + req.getServerName() + (usual ? "" : ":" + port) + req.getContextPath();
  }

  public PendingLogin newLogin() {
    return PendingLogin.start(random, Instant.now());
  }

  /** Where to send the browser: the provider's authorization endpoint with this login's values. */
  public URI authorizationRequest(PendingLogin login, String redirectUri) throws Refused {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("response_type", "code");
    q.put("client_id", settings.clientId().orElseThrow());
    q.put("redirect_uri", redirectUri);
    q.put("scope", settings.scopeParameter());
    q.put("state", login.state());
    q.put("nonce", login.nonce());
    q.put("code_challenge", login.challenge());
    q.put("code_challenge_method", "S256");
    return withQuery(discovery().authorization(), q);
  }

  /**
   * Exchanges the code for tokens and decides who signed in: an operator with the admin role, or a
   * refusal (a provider that does not answer, an invalid ID token, a wrong nonce, no admin role).
   */
  public ConsoleOperator signIn(String code, PendingLogin login, String redirectUri)
      throws Refused {
    Discovery d = discovery();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", redirectUri);
    form.put("code_verifier", login.verifier());
    form.put("client_id", settings.clientId().orElseThrow());
    HttpRequest.Builder b =
        HttpRequest.newBuilder(d.token())
            .timeout(TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json");
    if (settings.clientSecret().isPresent()) {
      if (d.secretBasic()) {
        String pair = enc(settings.clientId().get()) + ":" + enc(settings.clientSecret().get());
        b.header(
            "Authorization",
            "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
      } else {
        form.put("client_secret", settings.clientSecret().get());
      }
    }
    HttpResponse<String> r = send(b.POST(HttpRequest.BodyPublishers.ofString(query(form))).build());
    if (r.statusCode() != 200) {
      LOG.warning(
          "Console sign-in: the token endpoint answered " + r.statusCode() + " " + r.body());
      throw new Refused(502, "The identity provider did not accept the sign-in code.");
    }
    JsonObject tokenResponse = json(r.body(), "token response");
    String idToken = tokenResponse.getString("id_token", null);
    String accessToken = tokenResponse.getString("access_token", null);
    if (idToken == null || accessToken == null) {
      throw new Refused(502, "The identity provider answered without an ID or access token.");
    }
    var claims = idTokenVerifier(d).claims(idToken);
    if (claims.isEmpty()) {
      LOG.warning("Console sign-in refused: the ID token's signature, issuer, audience or expiry");
      throw new Refused(401, "The identity provider's ID token is not valid here.");
    }
    if (!login.nonceMatches(claims.get().getClaimValue("nonce"))) {
      throw new Refused(401, "The ID token does not belong to this sign-in.");
    }
    OperatorTokens.Caller caller =
        tokens
            .authenticate(accessToken)
            .orElseThrow(
                () -> {
                  LOG.warning(
                      "Console sign-in refused: the access token is not valid for the operator"
                          + " API (sealsync.admin.jwt.*: issuer, audiences, user claim)");
                  return new Refused(403, "Your sign-in is not valid for the operator API.");
                });
    if (!caller.admin()) {
      throw new Refused(403, "Your account does not have the operator role.");
    }
    return new ConsoleOperator(caller.name(), idToken, Instant.now());
  }

  /** The provider's logout for this ID token, returning to {@code after}; empty if it has none. */
  public Optional<URI> logout(String idToken, String after) {
    try {
      Optional<URI> endSession = discovery().endSession();
      Map<String, String> q = new LinkedHashMap<>();
      q.put("id_token_hint", idToken);
      q.put("post_logout_redirect_uri", after);
      q.put("client_id", settings.clientId().orElseThrow());
      return endSession.map(e -> withQuery(e, q));
    } catch (Refused unreachable) {
      return Optional.empty();
    }
  }

  /** The discovery document, fetched at most once an hour; an old one stays while a fetch fails. */
  synchronized Discovery discovery() throws Refused {
    if (refusal != null) {
      throw new Refused(503, "The console's sign-in is not configured correctly: " + refusal);
    }
    if (discovery != null && discovery.fetched().plus(DISCOVERY_TTL).isAfter(Instant.now())) {
      return discovery;
    }
    String issuer = settings.issuer().orElseThrow();
    URI uri = URI.create(issuer + "/.well-known/openid-configuration");
    try {
      HttpResponse<String> r = send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build());
      if (r.statusCode() != 200) {
        throw new Refused(503, "HTTP " + r.statusCode());
      }
      JsonObject doc = json(r.body(), "discovery document");
      if (!issuer.equals(doc.getString("issuer", "").replaceAll("/+$", ""))) {
        throw new Refused(
            503, "its issuer is " + doc.getString("issuer", "(none)") + ", not " + issuer);
      }
      var methods = doc.getJsonArray("token_endpoint_auth_methods_supported");
      discovery =
          new Discovery(
              URI.create(doc.getString("authorization_endpoint")),
              URI.create(doc.getString("token_endpoint")),
              doc.getString("jwks_uri"),
              Optional.ofNullable(doc.getString("end_session_endpoint", null)).map(URI::create),
              methods == null
                  || methods.getValuesAs(JsonString.class).stream()
                      .anyMatch(m -> m.getString().equals("client_secret_basic")),
              Instant.now());
      return discovery;
    } catch (Refused | RuntimeException e) {
      LOG.warning("Console sign-in: the discovery document " + uri + " is unusable: " + e);
      if (discovery != null) {
        return discovery;
      }
      throw new Refused(503, "The identity provider cannot be reached; try again shortly.");
    }
  }

  /** The ID tokens' verifier, for the provider's key set; kept while the key set's URL is. */
  private synchronized TokenVerifier idTokenVerifier(Discovery d) {
    if (idTokens == null || !d.jwksUri().equals(idTokensJwks)) {
      idTokens =
          TokenVerifier.of(
              new UserTokens.Settings(
                  settings.issuer(),
                  Optional.empty(),
                  Optional.empty(),
                  Optional.of(d.jwksUri()),
                  settings.clientId(),
                  "sub",
                  60));
      idTokensJwks = d.jwksUri();
    }
    return idTokens;
  }

  private HttpResponse<String> send(HttpRequest request) throws Refused {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      LOG.warning("Console sign-in: " + request.uri() + " cannot be reached: " + e);
      throw new Refused(503, "The identity provider cannot be reached; try again shortly.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Refused(503, "Interrupted.");
    }
  }

  private static JsonObject json(String body, String what) throws Refused {
    try {
      return JsonFactory.readObject(body);
    } catch (JsonException | IllegalStateException e) {
      throw new Refused(502, "The identity provider's " + what + " is not JSON.");
    }
  }

  static URI withQuery(URI endpoint, Map<String, String> params) {
    String s = endpoint.toString();
    return URI.create(s + (s.contains("?") ? "&" : "?") + query(params));
  }

  static String query(Map<String, String> params) {
    return params.entrySet().stream()
        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
