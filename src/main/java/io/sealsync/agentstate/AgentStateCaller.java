package io.sealsync.agentstate;

import java.util.Set;

/**
 * The authenticated caller of an agent-state request.
 *
 * @param projectTokenHash SHA-256 of the project token, or null for a live key
 * @param accountId the paying account of a live key, or null for a project token
 * @param accountTenantId the account's tenant, or null for a project token (whose tenant may not
 *     exist yet)
 */
public record AgentStateCaller(
    String projectTokenHash, Long accountId, Long accountTenantId, Set<String> scopes) {

  public boolean isProject() {
    return projectTokenHash != null;
  }

  /** Project tokens are free; live keys pay per byte. */
  public boolean pays() {
    return accountId != null;
  }

  /** How receipts name the tenant: the holder of the token or key can recognize it as theirs. */
  public String tenantLabel() {
    return isProject() ? "project:" + projectTokenHash : "account:" + accountId;
  }

  public boolean hasScope(String scope) {
    return scopes.contains(scope);
  }
}
