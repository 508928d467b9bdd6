package io.sealsync.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorTokensTest {
  @Test
  void rolesAreFoundByNameOrByPath() {
    // Keycloak: realm roles nested in realm_access.
    Map<String, Object> keycloak =
        Map.of("realm_access", Map.of("roles", List.of("offline_access", "sealsync-operator")));
    assertEquals(
        List.of("offline_access", "sealsync-operator"),
        OperatorTokens.valuesAt(keycloak, "realm_access.roles"));
    // Entra ID app roles, Okta groups: a flat array; a namespaced claim name holds dots.
    assertEquals(
        List.of("Sealsync.Admin"),
        OperatorTokens.valuesAt(Map.of("roles", List.of("Sealsync.Admin")), "roles"));
    assertEquals(
        List.of("ops"),
        OperatorTokens.valuesAt(
            Map.of("https://example.com/groups", "ops"), "https://example.com/groups"));
    // Nothing there, or not strings.
    assertEquals(List.of(), OperatorTokens.valuesAt(keycloak, "resource_access.x.roles"));
    assertEquals(List.of(), OperatorTokens.valuesAt(Map.of("groups", 42), "groups"));
    assertEquals(
        List.of("a"), OperatorTokens.valuesAt(Map.of("groups", List.of("a", 7)), "groups"));
  }
}
