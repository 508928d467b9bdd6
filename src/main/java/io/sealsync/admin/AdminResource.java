package io.sealsync.admin;

import io.sealsync.billing.BillingService;
import io.sealsync.billing.CreditArithmetic;
import io.sealsync.platform.JsonBodies;
import io.sealsync.platform.errors.ApiException;
import io.sealsync.security.ApiKey;
import io.sealsync.security.ApiKeys;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The operator API: tenants (paying accounts), their live keys and credits. Protected by the
 * container (web.xml): callers need the role {@code sealsync-admin}.
 */
@Path("admin/tenants")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {
  private static final Logger LOG = Logger.getLogger(AdminResource.class.getName());
  private static final int MAX_NAME = 200;

  @Inject AdminService admin;
  @Inject ApiKeys apiKeys;
  @Inject BillingService billing;

  @POST
  public Response createTenant(
      InputStream in, @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength) {
    JsonObject body = JsonBodies.readObject(in, contentLength);
    String name = requiredString(body, "name", MAX_NAME);
    AdminService.AccountTenant created = admin.createAccount(name);
    LOG.info(() -> "tenant " + created.tenant().getId() + " created for account '" + name + "'");
    return Response.status(201)
        .entity(JsonBodies.toJson(AdminViews.TenantView.of(created)))
        .build();
  }

  @GET
  @Path("{tenantId}")
  public String tenant(@PathParam("tenantId") long tenantId) {
    return JsonBodies.toJson(AdminViews.TenantView.of(admin.find(tenantId)));
  }

  @POST
  @Path("{tenantId}/keys")
  public Response issueKey(
      @PathParam("tenantId") long tenantId,
      InputStream in,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength) {
    JsonObject body = JsonBodies.readObject(in, contentLength);
    AdminService.AccountTenant at = admin.find(tenantId);
    String name =
        body.containsKey("name") ? requiredString(body, "name", MAX_NAME) : "Default Agent";
    Set<String> scopes = scopes(body);
    OffsetDateTime expiresAt = expiresAt(body);
    ApiKeys.IssuedKey issued = apiKeys.issue(at.account().getId(), name, scopes, expiresAt);
    LOG.info(() -> "live key " + issued.key().getId() + " issued for tenant " + tenantId);
    AdminViews.IssuedKeyView view =
        new AdminViews.IssuedKeyView(
            issued.key().getId(),
            name,
            issued.token(),
            java.util.List.copyOf(scopes),
            AdminViews.ts(expiresAt));
    return Response.status(201).entity(JsonBodies.toJson(view)).build();
  }

  @GET
  @Path("{tenantId}/keys")
  public String keys(@PathParam("tenantId") long tenantId) {
    AdminService.AccountTenant at = admin.find(tenantId);
    return JsonBodies.toJson(
        apiKeys.ofAccount(at.account().getId()).stream().map(AdminViews.KeyView::of).toList());
  }

  @POST
  @Path("{tenantId}/keys/{keyId}/revoke")
  public String revokeKey(@PathParam("tenantId") long tenantId, @PathParam("keyId") long keyId) {
    AdminService.AccountTenant at = admin.find(tenantId);
    ApiKey key =
        apiKeys
            .revoke(at.account().getId(), keyId)
            .orElseThrow(
                () -> ApiException.notFound("no key " + keyId + " for tenant " + tenantId));
    LOG.info(() -> "live key " + keyId + " of tenant " + tenantId + " revoked");
    return JsonBodies.toJson(AdminViews.KeyView.of(key));
  }

  @POST
  @Path("{tenantId}/credits")
  public String addCredits(
      @PathParam("tenantId") long tenantId,
      InputStream in,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength) {
    JsonObject body = JsonBodies.readObject(in, contentLength);
    JsonValue cents = body.get("cents");
    if (!(cents instanceof JsonNumber n)
        || !n.isIntegral()
        || n.bigDecimalValue().signum() <= 0
        || n.bigDecimalValue().compareTo(java.math.BigDecimal.valueOf(1_000_000_000_000L)) > 0) {
      throw ApiException.badRequest("'cents' must be a whole number from 1 to 1000000000000");
    }
    AdminService.AccountTenant at = admin.find(tenantId);
    CreditArithmetic.Balance b = billing.deposit(at.account().getId(), n.longValue());
    LOG.info(() -> n.longValue() + " cents added to tenant " + tenantId);
    return JsonBodies.toJson(new AdminViews.BalanceView(tenantId, b.credits(), b.creditsMilli()));
  }

  @GET
  @Path("{tenantId}/ledger")
  public String ledger(@PathParam("tenantId") long tenantId, @QueryParam("limit") Integer limit) {
    AdminService.AccountTenant at = admin.find(tenantId);
    int n = limit == null ? 100 : Math.max(1, Math.min(limit, 1000));
    return JsonBodies.toJson(
        billing.ledger(at.account().getId(), n).stream()
            .map(AdminViews.LedgerEntryView::of)
            .toList());
  }

  private static String requiredString(JsonObject body, String field, int maxLength) {
    JsonValue v = body.get(field);
    // U+0000 is refused too: no PostgreSQL text can hold it.
    if (!(v instanceof JsonString s)
        || s.getString().isBlank()
        || s.getString().length() > maxLength
        || s.getString().indexOf('\u0000') >= 0) {
      throw ApiException.badRequest(
          "'"
              + field
              + "' must be a non-blank string of at most "
              + maxLength
              + " characters, without U+0000");
    }
    return s.getString().strip();
  }

  private static Set<String> scopes(JsonObject body) {
    JsonValue v = body.get("scopes");
    if (v == null || v == JsonValue.NULL) {
      return new LinkedHashSet<>(java.util.List.of(ApiKey.SCOPE_READ, ApiKey.SCOPE_WRITE));
    }
    if (v.getValueType() != JsonValue.ValueType.ARRAY || v.asJsonArray().isEmpty()) {
      throw ApiException.badRequest("'scopes' must be a non-empty array of \"read\" and \"write\"");
    }
    Set<String> scopes = new LinkedHashSet<>();
    for (JsonValue s : v.asJsonArray()) {
      if (!(s instanceof JsonString str)
          || !(str.getString().equals(ApiKey.SCOPE_READ)
              || str.getString().equals(ApiKey.SCOPE_WRITE))) {
        throw ApiException.badRequest(
            "'scopes' must be a non-empty array of \"read\" and \"write\"");
      }
      scopes.add(str.getString());
    }
    return scopes;
  }

  private static OffsetDateTime expiresAt(JsonObject body) {
    JsonValue v = body.get("expires_at");
    if (v == null || v == JsonValue.NULL) {
      return null;
    }
    if (!(v instanceof JsonString s)) {
      throw ApiException.badRequest("'expires_at' must be an RFC 3339 timestamp");
    }
    OffsetDateTime t;
    try {
      t = OffsetDateTime.parse(s.getString()).withOffsetSameInstant(java.time.ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("'expires_at' must be an RFC 3339 timestamp");
    }
    // RFC 3339 years have four digits; Java parses far more than PostgreSQL can store.
    if (t.getYear() < 1 || t.getYear() > 9999) {
      throw ApiException.badRequest("'expires_at' must be an RFC 3339 timestamp");
    }
    return t;
  }
}
