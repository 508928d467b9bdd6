package io.sealsync.agentstate;

import jakarta.enterprise.context.RequestScoped;

/**
 * The agent-state side of one HTTP request: filled by {@link AgentStateGate}, read by the resource
 * methods (the caller, the query) and by {@link AgentStateErrors} (whether a request is agent state
 * at all, and which route's failure code applies).
 */
@RequestScoped
public class AgentStateExchange {
  private AgentStateRequest request;
  private AgentStateCaller caller;
  private AgentStateRoute route;

  void begin(AgentStateRequest request) {
    this.request = request;
  }

  void admit(AgentStateCaller caller, AgentStateRoute route) {
    this.caller = caller;
    this.route = route;
  }

  /** Whether this request entered the agent-state protocol (its errors are {@code {"error"}}). */
  public boolean active() {
    return request != null;
  }

  public AgentStateRequest request() {
    return request;
  }

  /** The authenticated caller; set before any resource method runs. */
  public AgentStateCaller caller() {
    return caller;
  }

  /** The route, or null while authentication, the limit or routing itself is still running. */
  public AgentStateRoute route() {
    return route;
  }
}
