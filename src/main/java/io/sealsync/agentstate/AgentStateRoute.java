package io.sealsync.agentstate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Path normalization and dispatch of agent-state.md §2: empty segments dropped, any leading {@code
 * functions}, {@code v1}, {@code v2-agent-state} and {@code v2} removed, the rest selects the
 * route. A wrong method is {@code route_not_found}, as for an unknown path.
 */
public record AgentStateRoute(Endpoint endpoint, String rawAgent, String rawSequence) {

  /** The routes of §2.2, with their method, the scope they need and their own server failure. */
  public enum Endpoint {
    CREATE_SNAPSHOT("POST", true, AgentStateError.SNAPSHOT_INSERT_FAILED),
    LATEST_SNAPSHOT("GET", false, AgentStateError.RESTORE_LOOKUP_FAILED),
    LINEAGE("GET", false, AgentStateError.LINEAGE_LOOKUP_FAILED),
    SNAPSHOT_AT_SEQUENCE("GET", false, AgentStateError.RESTORE_LOOKUP_FAILED),
    REPLICATE("POST", true, AgentStateError.INSERT_FAILED),
    HEAD("GET", false, AgentStateError.HEAD_LOOKUP_FAILED),
    REPLAY("GET", false, AgentStateError.REPLAY_LOOKUP_FAILED),
    /** Ours: the public key that verifies {@code server_receipt} signatures. */
    RECEIPT_KEY("GET", false, AgentStateError.INTERNAL_ERROR);

    private final String method;
    private final boolean writes;
    private final AgentStateError failure;

    Endpoint(String method, boolean writes, AgentStateError failure) {
      this.method = method;
      this.writes = writes;
      this.failure = failure;
    }

    public boolean writes() {
      return writes;
    }

    /** The 5xx code of an unexpected failure on this route (§14). */
    public AgentStateError failure() {
      return failure;
    }
  }

  private static final Set<String> STRIPPED_PREFIXES =
      Set.of("functions", "v1", "v2-agent-state", "v2");

  /** The route for a method and a raw (still percent-encoded) path, or route_not_found. */
  public static AgentStateRoute resolve(String method, String rawPath) {
    List<String> tail = tail(rawPath);
    Endpoint endpoint = null;
    String agent = null;
    String seq = null;
    if (tail.size() == 1) {
      endpoint =
          switch (tail.get(0)) {
            case "snapshot" -> Endpoint.CREATE_SNAPSHOT;
            case "replicate" -> Endpoint.REPLICATE;
            case "head" -> Endpoint.HEAD;
            case "replay" -> Endpoint.REPLAY;
            case "receipt-key" -> Endpoint.RECEIPT_KEY;
            default -> null;
          };
    } else if (tail.size() == 3 && tail.get(0).equals("snapshot")) {
      agent = tail.get(1);
      endpoint =
          switch (tail.get(2)) {
            case "latest" -> Endpoint.LATEST_SNAPSHOT;
            case "lineage" -> Endpoint.LINEAGE;
            default -> Endpoint.SNAPSHOT_AT_SEQUENCE;
          };
      if (endpoint == Endpoint.SNAPSHOT_AT_SEQUENCE) {
        seq = tail.get(2);
      }
    }
    if (endpoint == null || !endpoint.method.equals(method)) {
      throw AgentStateError.ROUTE_NOT_FOUND.exception();
    }
    return new AgentStateRoute(endpoint, agent, seq);
  }

  static List<String> tail(String rawPath) {
    List<String> segments = new ArrayList<>();
    for (String s : rawPath.split("/")) {
      if (!s.isEmpty()) {
        segments.add(s);
      }
    }
    int start = 0;
    while (start < segments.size() && STRIPPED_PREFIXES.contains(segments.get(start))) {
      start++;
    }
    return segments.subList(start, segments.size());
  }

  /** The agent id, percent-decoded after splitting (so {@code %2F} is a slash inside the id). */
  public AgentId agentId() {
    return AgentId.fromPath(rawAgent);
  }

  /** Whether every percent-escape of {@code raw} decodes as UTF-8 (what JAX-RS requires). */
  static boolean isDecodable(String raw) {
    try {
      AgentId.percentDecode(raw);
      return true;
    } catch (AgentStateException e) {
      return false;
    }
  }

  /**
   * The path under {@link AgentStateResource} that selects this route's resource method. Path
   * parameters travel as their raw segment, escaped once more, so that JAX-RS hands them over
   * unchanged on every runtime: an encoded slash, a semicolon or a malformed escape in an agent id
   * can then neither split the segment nor end it as a matrix parameter.
   */
  String resourcePath() {
    return switch (endpoint) {
      case CREATE_SNAPSHOT -> "snapshot";
      case LATEST_SNAPSHOT -> "snapshot/" + escape(rawAgent) + "/latest";
      case LINEAGE -> "snapshot/" + escape(rawAgent) + "/lineage";
      case SNAPSHOT_AT_SEQUENCE -> "snapshot/" + escape(rawAgent) + "/" + escape(rawSequence);
      case REPLICATE -> "replicate";
      case HEAD -> "head";
      case REPLAY -> "replay";
      case RECEIPT_KEY -> "receipt-key";
    };
  }

  /** Percent-encodes everything but letters, digits, {@code -}, {@code _} and {@code ~}. */
  static String escape(String raw) {
    StringBuilder out = new StringBuilder(raw.length() + 16);
    for (byte b : raw.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || c == '-'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
      }
    }
    return out.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
