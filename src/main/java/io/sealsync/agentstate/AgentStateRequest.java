package io.sealsync.agentstate;

import java.io.InputStream;
import java.net.URI;
import java.util.function.UnaryOperator;

/**
 * One agent-state request, independent of how it arrived (JAX-RS, or the servlet filter for URIs
 * that JAX-RS cannot decode).
 *
 * @param rawPath the path after the context root, still percent-encoded
 * @param queryParameter a decoded query parameter by name, or null
 * @param baseUri the application's base URI, for URLs the server hands out
 */
public record AgentStateRequest(
    String method,
    String rawPath,
    UnaryOperator<String> queryParameter,
    URI baseUri,
    String authorization,
    String contentLength,
    InputStream body) {

  /** A decoded query parameter; an undecodable one reads as a value no number parses from. */
  public String query(String name) {
    try {
      return queryParameter.apply(name);
    } catch (RuntimeException malformed) {
      return "\uFFFD";
    }
  }
}
