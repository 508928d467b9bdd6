package io.sealsync.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Requests that application servers refuse themselves, before or around the application, one set
 * per route family: bad percent-escapes, percent-encoded and raw control characters in a path
 * segment, bad escapes in the query, long targets and header blocks, many header fields, TRACE and
 * methods no route has, malformed header lines. Each must get the family's error envelope as JSON
 * with a 4xx (and the status given, where one is prescribed), except where a server refuses it in
 * its HTTP layer before it has chosen an application: those are listed per server with the status
 * that server answers, exactly as docs/operating.md ("Error answers") documents them.
 */
final class ContainerRefusals {
  private ContainerRefusals() {}

  enum Family {
    AGENT_STATE,
    ROW_SYNC,
    ADMIN,
    OTHER
  }

  /**
   * One request: {@code target} goes after the context path as is (raw bytes, ISO-8859-1), {@code
   * status} is the prescribed status or 0 for any 4xx, {@code refusedBy} the servers (by
   * arquillian.launch name) whose HTTP layer answers it itself, with the status it answers.
   */
  record Case(
      Family family,
      String what,
      String method,
      String target,
      List<String[]> headers,
      String body,
      int status,
      Map<String, Integer> refusedBy) {

    Case withHeader(String name, String value) {
      List<String[]> h = new ArrayList<>(headers);
      h.add(new String[] {name, value});
      return new Case(family, what, method, target, h, body, status, refusedBy);
    }

    Case withBody(String json) {
      return new Case(family, what, method, target, headers, json, status, refusedBy);
    }

    String describe() {
      String t =
          target.length() > 80 ? target.substring(0, 80) + "…(" + target.length() + ")" : target;
      return family
          + " "
          + what
          + ": "
          + method
          + " "
          + MalformedCase.printable(t.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 120);
    }
  }

  /** Where a segment of each family's route goes: {@code {seg}}. */
  private static final Map<Family, String> ROUTES =
      Map.of(
          Family.AGENT_STATE, "/functions/v1/v2-agent-state/snapshot/{seg}/latest",
          Family.ROW_SYNC, "/sync/snapshot-sessions/{seg}",
          Family.ADMIN, "/admin/tenants/{seg}",
          Family.OTHER, "/nope/{seg}");

  /** The writing route of each family, with a valid body: refused requests to it write nothing. */
  private static final Map<Family, String[]> WRITES =
      Map.of(
          Family.AGENT_STATE,
          new String[] {
            "/functions/v1/v2-agent-state/replicate",
            "{\"chunks\":[{\"sequence_number\":0,\"block_hash\":\""
                + "0".repeat(64)
                + "\",\"ciphertext_b64\":\"AA==\"}],\"merkle_root\":\""
                + "0".repeat(64)
                + "\"}"
          },
          Family.ROW_SYNC,
          new String[] {"/sync/push-sessions", "{\"source_bundle_id\":1,\"planned_row_count\":1}"},
          Family.ADMIN,
          new String[] {"/admin/tenants", "{\"name\":\"refused\"}"},
          Family.OTHER,
          new String[] {"/nope", "{}"});

  static List<Case> all() {
    List<Case> cases = new ArrayList<>();
    for (Family f : Family.values()) {
      String route = ROUTES.get(f);
      String[] write = WRITES.get(f);
      // Bad escapes: 400 bad_agent_id (agent-state.md §2.4) or invalid_request. Targets that are
      // no URI: invalid_request outside agent state, whose routes take any bytes in an agent id.
      int badEscape = 400;
      int notUri = f == Family.AGENT_STATE ? 0 : 400;
      cases.add(
          c(
              f,
              "bad escape %zz",
              "GET",
              route.replace("{seg}", "F%zz"),
              badEscape,
              Map.of("payara", 200)));
      cases.add(
          c(
              f,
              "truncated escape",
              "GET",
              route.replace("{seg}", "F%1"),
              badEscape,
              Map.of("payara", 200)));
      cases.add(c(f, "encoded control %12", "GET", route.replace("{seg}", "F%12"), 0, Map.of()));
      cases.add(
          c(
              f,
              "encoded NUL",
              "GET",
              route.replace("{seg}", "F%00"),
              f == Family.AGENT_STATE ? 400 : 0,
              Map.of("payara", 400)));
      cases.add(c(f, "encoded DEL", "GET", route.replace("{seg}", "F%7F"), 0, Map.of()));
      cases.add(
          c(f, "raw control 0x01", "GET", route.replace("{seg}", "F\u0001"), notUri, Map.of()));
      cases.add(c(f, "raw DEL", "GET", route.replace("{seg}", "F\u007f"), notUri, Map.of()));
      // Dot-segments that climb above the root, and a dot-segment with a path parameter, which
      // Servlet 6.0's canonicalization refuses (agent state: the agent id is no path).
      cases.add(
          c(
              f,
              "encoded dot-segments above the root",
              "GET",
              route.replace("{seg}", "%2e%2e/".repeat(8) + "etc"),
              0,
              Map.of("payara", 400)));
      cases.add(
          c(
              f,
              "dot-segment with a parameter",
              "GET",
              route.replace("{seg}", ".;x/F"),
              0,
              Map.of()));
      cases.add(c(f, "raw {", "GET", route.replace("{seg}", "F{"), notUri, Map.of()));
      cases.add(c(f, "raw UTF-8", "GET", route.replace("{seg}", "F\u00c3\u00a9"), 0, Map.of()));
      cases.add(
          c(
              f,
              "bad query escape",
              "GET",
              route.replace("{seg}", "F") + "?x=%zz",
              notUri,
              Map.of()));
      cases.add(
          c(
              f,
              "long target (9 000)",
              "GET",
              route.replace("{seg}", "a".repeat(9_000)),
              0,
              Map.of()));
      cases.add(
          c(f, "long header (9 000)", "GET", route.replace("{seg}", "F"), 0, Map.of())
              .withHeader("X-Long", "x".repeat(9_000)));
      Case many = c(f, "300 header fields", "GET", route.replace("{seg}", "F"), 0, Map.of());
      for (int i = 0; i < 300; i++) {
        many = many.withHeader("X-Field-" + i, "v");
      }
      cases.add(many);
      // Methods: this application has no TRACE; agent state has no 405 (route_not_found).
      int notAllowed = f == Family.AGENT_STATE ? 404 : f == Family.ADMIN ? 0 : 405;
      cases.add(c(f, "TRACE", "TRACE", route.replace("{seg}", "F"), notAllowed, Map.of()));
      cases.add(c(f, "PROPFIND", "PROPFIND", route.replace("{seg}", "F"), 0, Map.of()));
      cases.add(c(f, "lower-case get", "get", route.replace("{seg}", "F"), 0, Map.of()));
      // Beyond every server's limits, or no HTTP at all: the HTTP layer's own 4xx.
      cases.add(
          c(
              f,
              "target over 64 KiB",
              "GET",
              route.replace("{seg}", "a".repeat(70_000)),
              0,
              Map.of("liberty", 400, "payara", 400)));
      cases.add(
          c(
                  f,
                  "header over 64 KiB",
                  "GET",
                  route.replace("{seg}", "F"),
                  0,
                  Map.of("liberty", 400, "payara", 400))
              .withHeader("X-Long", "x".repeat(70_000)));
      cases.add(
          c(
                  f,
                  "header name with a space",
                  "GET",
                  route.replace("{seg}", "F"),
                  0,
                  Map.of("liberty", 400, "payara", 400))
              .withHeader("Bad Name", "v"));
      cases.add(
          c(
              f,
              "method not a token",
              "G@T",
              route.replace("{seg}", "F"),
              0,
              Map.of("wildfly", 400)));
      // Credentials the server's own BASIC sign-in refuses (WildFly, before the application).
      cases.add(
          c(
                  f,
                  "wrong BASIC password",
                  "GET",
                  route.replace("{seg}", "F"),
                  f == Family.OTHER ? 0 : 401,
                  Map.of())
              .withHeader(
                  "Authorization",
                  "Basic "
                      + java.util.Base64.getEncoder()
                          .encodeToString(
                              "admin:wrong-password"
                                  .getBytes(java.nio.charset.StandardCharsets.UTF_8))));
      // Writes the container or the application refuses: nothing may be written.
      cases.add(
          c(f, "write, encoded control", "POST", write[0] + "%12", 0, Map.of()).withBody(write[1]));
      cases.add(
          c(f, "write, bad escape", "POST", write[0] + "%zz", notUri, Map.of("payara", 200))
              .withBody(write[1]));
      cases.add(
          c(f, "write, bad query escape", "POST", write[0] + "?x=%zz", notUri, Map.of())
              .withBody(write[1]));
      cases.add(c(f, "write, TRACE", "TRACE", write[0], 0, Map.of()).withBody(write[1]));
      cases.add(c(f, "write, PROPFIND", "PROPFIND", write[0], 0, Map.of()).withBody(write[1]));
    }
    // The application's own servlets (the console's pages stay HTML for browsers): TRACE, and a
    // method a servlet does not know.
    cases.add(c(Family.OTHER, "console, TRACE", "TRACE", "/console/", 405, Map.of()));
    cases.add(c(Family.OTHER, "metrics, PROPFIND", "PROPFIND", "/metrics", 0, Map.of()));
    return cases;
  }

  private static Case c(
      Family f, String what, String method, String target, int status, Map<String, Integer> by) {
    return new Case(f, what, method, target, List.of(), null, status, by);
  }
}
