package io.sealsync.rowsync;

import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.Jwts;
import jakarta.json.JsonObject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** One device of one user, speaking the row-sync protocol as the clients do. */
final class SyncClient {
  final Http http;
  final String user;
  final String source;
  final String token;

  SyncClient(URL base, String user, String source) {
    this.http = new Http(base);
    this.user = user;
    this.source = source;
    this.token = Jwts.forUser(user);
  }

  Http.Reply send(String method, String path, String body) {
    return send(method, path, body, "Bearer " + token, source);
  }

  Http.Reply send(
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

  Http.Reply connect(boolean pending) {
    return send("POST", "/sync/connect", "{\"has_local_pending_rows\":" + pending + "}");
  }

  Http.Reply create(long sourceBundleId, long planned, String initializationId) {
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

  Http.Reply chunk(String pushId, long start, List<String> rows) {
    return send(
        "POST",
        "/sync/push-sessions/" + pushId + "/chunks",
        "{\"start_row_ordinal\":" + start + ",\"rows\":[" + String.join(",", rows) + "]}");
  }

  Http.Reply commit(String pushId) {
    return send("POST", "/sync/push-sessions/" + pushId + "/commit", null);
  }

  Http.Reply rows(long bundleSeq, String query) {
    return send(
        "GET",
        "/sync/committed-bundles/" + bundleSeq + "/rows" + (query == null ? "" : "?" + query),
        null);
  }

  /**
   * Connects an empty device and pushes {@code rows} as source bundle {@code id}; returns the
   * commit.
   */
  JsonObject push(long id, List<String> rows) {
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

  static String row(
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

  static String tag(String name, String op, long base, String color) {
    String payload =
        op.equals("DELETE") ? null : color == null ? "{}" : "{\"color\":\"" + color + "\"}";
    return row("tags", "name", name, op, base, payload);
  }
}
