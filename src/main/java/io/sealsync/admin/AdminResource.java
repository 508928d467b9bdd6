package io.sealsync.admin;

import io.sealsync.admin.audit.OperatorActions;
import io.sealsync.billing.BillingService;
import io.sealsync.billing.CreditArithmetic;
import io.sealsync.platform.JsonBodies;
import io.sealsync.platform.db.HotStatement;
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
  @Inject OperatorActions actions;
  @Inject AdminDatabase db;

  private static final String TENANT_SEARCH =
      " WHERE t.kind = 'account' AND (a.name ILIKE ? OR CAST(t.id AS TEXT) = ?)";

  /** The number of account tenants a search matches; parameters pattern, id text. */
  @HotStatement
  static final String TENANT_SEARCH_COUNT =
      "SELECT count(*) FROM tenant t JOIN account a ON a.id = t.account_id" + TENANT_SEARCH;

  /** A page of account tenants, newest first; parameters [pattern, id text,] limit, offset. */
  @HotStatement
  static String tenantPageSql(boolean search) {
    return "SELECT t.id, a.id, a.name, a.credits, a.credits_milli, a.created_at,"
        + " (SELECT count(*) FROM api_key k WHERE k.account_id = a.id"
        + " AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())),"
        + " (SELECT max(k.last_used_at) FROM api_key k WHERE k.account_id = a.id)"
        + " FROM tenant t JOIN account a ON a.id = t.account_id"
        + (search ? TENANT_SEARCH : " WHERE t.kind = 'account'")
        + " ORDER BY t.id DESC LIMIT ? OFFSET ?";
  }

  /**
   * Account tenants, newest first: {@code q} matches the name (case-insensitive, anywhere) or, when
   * a number, the tenant id.
   */
  @GET
  public String tenants(
      @QueryParam("q") String q,
      @QueryParam("limit") String limit,
      @QueryParam("offset") String offset) {
    String text = Paging.text("q", q);
    int n = Paging.limit(limit);
    long from = Paging.offset(offset);
    java.util.List<Object> params = new java.util.ArrayList<>();
    Long total;
    if (text == null) {
      total = db.total("tenant.account.rows");
    } else {
      params.add(Paging.containsPattern(text));
      params.add(text);
      total = db.one(TENANT_SEARCH_COUNT, rs -> rs.getLong(1), params.toArray());
    }
    java.util.List<Object> pageParams = new java.util.ArrayList<>(params);
    pageParams.add(n);
    pageParams.add(from);
    java.util.List<AdminViews.TenantListItem> items =
        db.list(
            tenantPageSql(text != null),
            rs ->
                new AdminViews.TenantListItem(
                    rs.getLong(1),
                    rs.getLong(2),
                    rs.getString(3),
                    rs.getLong(4),
                    rs.getInt(5),
                    AdminDatabase.ts(rs, 6),
                    rs.getLong(7),
                    AdminDatabase.ts(rs, 8)),
            pageParams.toArray());
    Long next = from + items.size() < total ? from + items.size() : null;
    return JsonBodies.toJson(new Paging.Page<>(items, total, n, from, next));
  }

  @POST
  public Response createTenant(
      InputStream in, @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength) {
    JsonObject body = JsonBodies.readObject(in, contentLength);
    String name = requiredString(body, "name", MAX_NAME);
    AdminService.AccountTenant created =
        actions.run(
            "tenant.create",
            "name " + name,
            note -> {
              AdminService.AccountTenant at = admin.createAccount(name);
              note.target("tenant " + at.tenant().getId() + " (" + name + ")");
              return at;
            });
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
    ApiKeys.IssuedKey issued =
        actions.run(
            "key.issue",
            "tenant " + tenantId,
            note -> {
              AdminService.AccountTenant at = admin.find(tenantId);
              String name =
                  body.containsKey("name")
                      ? requiredString(body, "name", MAX_NAME)
                      : "Default Agent";
              Set<String> scopes = scopes(body);
              OffsetDateTime expiresAt = expiresAt(body);
              ApiKeys.IssuedKey k = apiKeys.issue(at.account().getId(), name, scopes, expiresAt);
              note.target("tenant " + tenantId + ", key " + k.key().getId())
                  .detail(
                      "name '"
                          + name
                          + "', scopes "
                          + String.join(",", scopes)
                          + (expiresAt == null ? "" : ", expires " + AdminViews.ts(expiresAt))
                          + ", prefix "
                          + k.key().getKeyPrefix());
              return k;
            });
    String name = issued.key().getName();
    Set<String> scopes = new LinkedHashSet<>(issued.key().getScopes());
    OffsetDateTime expiresAt = issued.key().getExpiresAt();
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
    ApiKey key =
        actions.run(
            "key.revoke",
            "tenant " + tenantId + ", key " + keyId,
            note -> {
              AdminService.AccountTenant at = admin.find(tenantId);
              ApiKey k =
                  apiKeys
                      .revoke(at.account().getId(), keyId)
                      .orElseThrow(
                          () ->
                              ApiException.notFound("no key " + keyId + " for tenant " + tenantId));
              note.detail("prefix " + k.getKeyPrefix());
              return k;
            });
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
    CreditArithmetic.Balance b =
        actions.run(
            "tenant.credits.add",
            "tenant " + tenantId,
            note -> {
              AdminService.AccountTenant at = admin.find(tenantId);
              CreditArithmetic.Balance after = billing.deposit(at.account().getId(), n.longValue());
              note.detail(
                  n.longValue()
                      + " cents added; balance "
                      + after.credits()
                      + "."
                      + String.format("%03d", after.creditsMilli()));
              return after;
            });
    LOG.info(() -> n.longValue() + " cents added to tenant " + tenantId);
    return JsonBodies.toJson(new AdminViews.BalanceView(tenantId, b.credits(), b.creditsMilli()));
  }

  /**
   * The newest ids of an account's ledger, before an id, from the account's index alone (an
   * index-only scan); the pages below read their rows by id. As one ordered scan with a filter,
   * PostgreSQL walks the ledger's primary key backwards whenever an account holds a large share of
   * the ledger, passing every newer entry of other accounts first: a page of an account whose
   * entries are old read the whole newer ledger. Parameters: account, before id, limit.
   */
  private static final String NEWEST_LEDGER_IDS =
      " WHERE id IN (SELECT id FROM credit_ledger WHERE account_id = ? AND id < ?"
          + " ORDER BY id DESC LIMIT ?) ORDER BY id DESC";

  @HotStatement
  static final String LEDGER =
      "SELECT id, tenant_id, delta_milli, reason, request_id, credits_after,"
          + " credits_milli_after, created_at FROM credit_ledger"
          + NEWEST_LEDGER_IDS;

  @GET
  @Path("{tenantId}/ledger")
  public String ledger(
      @PathParam("tenantId") long tenantId,
      @QueryParam("limit") String limit,
      @QueryParam("before") String before) {
    // Newest first; before=<id> continues after the last entry of a page.
    int n = Paging.limit(limit, 100, 1000);
    Long beforeId = Paging.cursor("before", before);
    AdminService.AccountTenant at = admin.find(tenantId);
    return JsonBodies.toJson(
        db.list(
            LEDGER,
            rs ->
                new AdminViews.LedgerEntryView(
                    rs.getLong(1),
                    AdminDatabase.longOrNull(rs, 2),
                    rs.getLong(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getLong(6),
                    rs.getInt(7),
                    AdminDatabase.ts(rs, 8)),
            at.account().getId(),
            beforeId == null ? Long.MAX_VALUE : beforeId,
            n));
  }

  @HotStatement
  static final String BALANCE_HISTORY =
      "SELECT created_at, credits_after, credits_milli_after FROM credit_ledger"
          + NEWEST_LEDGER_IDS;

  /**
   * The balance after each of the latest {@code limit} ledger entries, oldest first: the points of
   * the console's balance chart.
   */
  @GET
  @Path("{tenantId}/balance-history")
  public String balanceHistory(
      @PathParam("tenantId") long tenantId, @QueryParam("limit") String limit) {
    int n = Paging.limit(limit, 500, 2000);
    AdminService.AccountTenant at = admin.find(tenantId);
    java.util.List<AdminViews.BalancePoint> points =
        new java.util.ArrayList<>(
            db.list(
                BALANCE_HISTORY,
                rs ->
                    new AdminViews.BalancePoint(
                        AdminDatabase.ts(rs, 1), rs.getLong(2) * 1000 + rs.getInt(3)),
                at.account().getId(),
                Long.MAX_VALUE,
                n));
    java.util.Collections.reverse(points);
    return JsonBodies.toJson(points);
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
