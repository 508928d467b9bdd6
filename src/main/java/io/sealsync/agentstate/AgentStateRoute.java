package io.sealsync.agentstate;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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

  public enum Endpoint {
    CREATE_SNAPSHOT("POST", true),
    LATEST_SNAPSHOT("GET", false),
    LINEAGE("GET", false),
    SNAPSHOT_AT_SEQUENCE("GET", false),
    REPLICATE("POST", true),
    HEAD("GET", false),
    REPLAY("GET", false),
    /** Ours: the public key that verifies {@code server_receipt} signatures. */
    RECEIPT_KEY("GET", false);

    private final String method;
    private final boolean writes;

    Endpoint(String method, boolean writes) {
      this.method = method;
      this.writes = writes;
    }

    public boolean writes() {
      return writes;
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
    return AgentId.of(percentDecode(rawAgent));
  }

  /** Whether every percent-escape of {@code raw} decodes as UTF-8 (what JAX-RS requires). */
  static boolean isDecodable(String raw) {
    try {
      percentDecode(raw);
      return true;
    } catch (AgentStateException e) {
      return false;
    }
  }

  /** JavaScript's decodeURIComponent: malformed escapes or UTF-8 are {@code bad_agent_id}. */
  static String percentDecode(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    StringBuilder out = new StringBuilder(raw.length());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (c != '%') {
        out.append(c);
        i++;
        continue;
      }
      bytes.reset();
      while (i < raw.length() && raw.charAt(i) == '%') {
        if (i + 3 > raw.length()) {
          throw AgentStateError.BAD_AGENT_ID.exception();
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw AgentStateError.BAD_AGENT_ID.exception();
        }
        bytes.write(hi * 16 + lo);
        i += 3;
      }
      try {
        out.append(
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes.toByteArray())));
      } catch (CharacterCodingException e) {
        throw AgentStateError.BAD_AGENT_ID.exception();
      }
    }
    return out.toString();
  }
}
