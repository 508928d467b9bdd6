package io.sealsync.agentstate;

import java.net.URI;
import java.util.function.UnaryOperator;

/**
 * What the protocol reads of a request before its route runs, independent of how it arrived
 * (JAX-RS, or {@link AgentStateFallbackFilter} for targets JAX-RS cannot take).
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
    String authorization) {

  /** A decoded query parameter; an undecodable one reads as a value no number parses from. */
  public String query(String name) {
    try {
      return queryParameter.apply(name);
    } catch (RuntimeException malformed) {
      return "\uFFFD";
    }
  }
}
