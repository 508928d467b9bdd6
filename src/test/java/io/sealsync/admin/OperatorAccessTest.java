package io.sealsync.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OperatorAccessTest {
  static Optional<String> refusal(String policy, String password, boolean development) {
    return OperatorAccess.basicRefusal(policy, Optional.ofNullable(password), development);
  }

  @Test
  void outsideDevelopmentTheBundledOperatorNeedsALongPasswordOfItsOwn() {
    assertTrue(refusal("bundled", null, false).orElseThrow().contains("no operator password"));
    assertTrue(refusal("bundled", " ", false).orElseThrow().contains("no operator password"));
    assertTrue(refusal("bundled", "sealsync-dev-admin", false).orElseThrow().contains("published"));
    assertTrue(
        refusal("bundled", "fifteen-chars!!", false).orElseThrow().contains("shorter than 16"));
    assertEquals(Optional.empty(), refusal("bundled", "sixteen-chars!!!", false));
    assertEquals(Optional.empty(), refusal(" Bundled ", "a-long-secret-of-mine", false));
  }

  @Test
  void anExternalRegistryOrBearerTokensOnly() {
    assertEquals(Optional.empty(), refusal("registry", null, false));
    assertTrue(refusal("off", "a-long-secret-of-mine", false).orElseThrow().contains("off"));
    assertTrue(refusal("ldap", null, false).orElseThrow().contains("bundled, registry or off"));
  }

  @Test
  void developmentModeAcceptsTheDevelopmentPassword() {
    assertEquals(Optional.empty(), refusal("bundled", "sealsync-dev-admin", true));
    assertEquals(Optional.empty(), refusal("bundled", null, true));
  }

  static String basic(String userPass) {
    return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void authorizationHeadersAreReadLeniently() {
    assertEquals("bearer", OperatorAuthenticationFilter.scheme("Bearer abc"));
    assertEquals("basic", OperatorAuthenticationFilter.scheme(" basic abc"));
    assertEquals("basic", OperatorAuthenticationFilter.scheme("Basic"));
    assertEquals("", OperatorAuthenticationFilter.scheme(null));
    assertArrayEquals(
        new String[] {"admin", "pa:ss"},
        OperatorAuthenticationFilter.basicCredentials(basic("admin:pa:ss")));
    assertNull(OperatorAuthenticationFilter.basicCredentials(basic("admin")));
    assertNull(OperatorAuthenticationFilter.basicCredentials(basic(":x")));
    assertNull(OperatorAuthenticationFilter.basicCredentials("Basic !!!not-base64!!!"));
    assertNull(OperatorAuthenticationFilter.basicCredentials("Basic"));
  }
}
