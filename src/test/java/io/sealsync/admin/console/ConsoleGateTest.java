package io.sealsync.admin.console;

import static io.sealsync.admin.console.ConsoleGate.Decision.BASIC_REFUSED;
import static io.sealsync.admin.console.ConsoleGate.Decision.CONTAINER;
import static io.sealsync.admin.console.ConsoleGate.Decision.HTTPS_REQUIRED;
import static io.sealsync.admin.console.ConsoleGate.Decision.PASS;
import static io.sealsync.admin.console.ConsoleGate.Decision.SIGN_IN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConsoleGateTest {
  private static ConsoleGate.Decision page(
      boolean session, String scheme, boolean authenticated, boolean oidc, boolean basicRefused) {
    return ConsoleGate.decide(
        "/console/index.html", true, false, session, scheme, authenticated, oidc, basicRefused);
  }

  @Test
  void withoutOidcTheConsoleIsTheContainersAsBefore() {
    assertEquals(CONTAINER, page(false, "", false, false, false), "anonymous: the BASIC challenge");
    assertEquals(CONTAINER, page(false, "basic", false, false, false));
    assertEquals(BASIC_REFUSED, page(false, "basic", false, false, true));
    assertEquals(BASIC_REFUSED, page(false, "", false, false, true));
  }

  @Test
  void withOidcAnonymousVisitorsAreSentToTheLoginAndBasicStillWorks() {
    assertEquals(SIGN_IN, page(false, "", false, true, false));
    assertEquals(SIGN_IN, page(false, "bearer", false, true, false), "no bearer tokens here");
    assertEquals(CONTAINER, page(false, "basic", false, true, false));
    assertEquals(CONTAINER, page(false, "", true, true, false), "already authenticated (SSO)");
    assertEquals(SIGN_IN, page(false, "basic", false, true, true), "BASIC turned off");
  }

  @Test
  void theSessionsOperatorPasses() {
    assertEquals(PASS, page(true, "", false, true, false));
    assertEquals(PASS, page(true, "", false, true, true));
  }

  @Test
  void signingInAndOutAndTheSignedOutPageArePublic() {
    for (String path :
        new String[] {
          "/console/login",
          "/console/callback",
          "/console/logout",
          "/console/signed-out.html",
          "/console/console.css"
        }) {
      assertEquals(PASS, ConsoleGate.decide(path, true, false, false, "", false, true, false));
      assertEquals(PASS, ConsoleGate.decide(path, false, true, false, "", false, false, true));
    }
  }

  @Test
  void plainHttpOutsideDevelopmentIsRefusedEverywhere() {
    for (String path : new String[] {"/console/", "/console/login", "/console/callback"}) {
      assertEquals(
          HTTPS_REQUIRED, ConsoleGate.decide(path, false, false, true, "", false, true, false));
    }
    assertEquals(PASS, ConsoleGate.decide("/console/", false, true, true, "", false, true, false));
  }
}
