package io.sealsync.rowsync;

import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.Jwts;
import jakarta.json.JsonObject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One device of one user, speaking the row-sync protocol as the clients do (the integration tests
 * and the benchmark).
 */
public final class SyncClient {
  public final Http http;
  public final String user;
  public final String source;
  public final String token;

  public SyncClient(URL base, String user, String source) {
    this(new Http(base), user, source);
  }

  public SyncClient(Http http, String user, String source) {
    this(http, user, source, Jwts.forUser(user));
  }

  /** A device that presents {@code token}, e.g. one of an identity provider, for {@code user}. */
  public SyncClient(Http http, String user, String source, String token) {
    this.http = http;
    this.user = user;
    this.source = source;
    this.token = token;
  }

  public Http.Reply send(String method, String path, String body) {
    return send(method, path, body, "Bearer " + token, source);
  }

  public Http.Reply send(
      String method, String path, String body, String authorization, String sourceHeader) {
    java.util.Map<String, String> headers = new java.util.HashMap<>();
    headers.put("Oversync-Source-ID", sourceHeader);
    return http.send(
        method,
        path,
        authorization,
        headers,
        body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  public Http.Reply connect(boolean pending) {
    return send("POST", "/sync/connect", "{\"has_local_pending_rows\":" + pending + "}");
  }

  public Http.Reply create(long sourceBundleId, long planned, String initializationId) {
    return send(
        "POST",
        "/sync/push-sessions",
        "{\"source_bundle_id\":"
            + sourceBundleId
            + ",\"planned_row_count\":"
            + planned
            + (initializationId == null
                ? ""
                : ",\"initialization_id\":\"" + initializationId + "\"")
            + "}");
  }

  public Http.Reply chunk(String pushId, long start, List<String> rows) {
    return send(
        "POST",
        "/sync/push-sessions/" + pushId + "/chunks",
        "{\"start_row_ordinal\":" + start + ",\"rows\":[" + String.join(",", rows) + "]}");
  }

  public Http.Reply commit(String pushId) {
    return send("POST", "/sync/push-sessions/" + pushId + "/commit", null);
  }

  public Http.Reply rows(long bundleSeq, String query) {
    return send(
        "GET",
        "/sync/committed-bundles/" + bundleSeq + "/rows" + (query == null ? "" : "?" + query),
        null);
  }

  /**
   * Connects an empty device and pushes {@code rows} as source bundle {@code id}; returns the
   * commit.
   */
  public JsonObject push(long id, List<String> rows) {
    Http.Reply created = create(id, rows.size(), null);
    if (created.status() != 200) {
      throw new IllegalStateException("create: " + created.status() + " " + created.text());
    }
    String pushId = created.json().getString("push_id");
    for (int i = 0; i < rows.size(); i += 1000) {
      Http.Reply c = chunk(pushId, i, rows.subList(i, Math.min(rows.size(), i + 1000)));
      if (c.status() != 200) {
        throw new IllegalStateException("chunk: " + c.status() + " " + c.text());
      }
    }
    Http.Reply committed = commit(pushId);
    if (committed.status() != 200) {
      throw new IllegalStateException("commit: " + committed.status() + " " + committed.text());
    }
    return committed.json();
  }

  public static String row(
      String table, String keyColumn, String key, String op, long base, String payload) {
    return "{\"schema\":\"demo\",\"table\":\""
        + table
        + "\",\"key\":{\""
        + keyColumn
        + "\":\""
        + key
        + "\"},\"op\":\""
        + op
        + "\",\"base_row_version\":"
        + base
        + (payload == null ? "" : ",\"payload\":" + payload)
        + "}";
  }

  public static String tag(String name, String op, long base, String color) {
    String payload =
        op.equals("DELETE") ? null : color == null ? "{}" : "{\"color\":\"" + color + "\"}";
    return row("tags", "name", name, op, base, payload);
  }
}
