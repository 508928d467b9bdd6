package io.sealsync.admin.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.Keycloak;
import io.sealsync.testsupport.Migrations;
import java.net.URL;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's OpenID Connect sign-in in headless Chromium, through Keycloak's own login page (the
 * test run's Keycloak, realm {@code sealsync}, public client {@code sealsync-console}): an operator
 * lands on the overview, works in the console and signs out at both ends; a user without the
 * operator role is refused. Screenshots under target/console-screenshots/. On OpenLiberty; the same
 * flow over HTTP runs on all three servers ({@link ConsoleOidcIT}).
 */
@Tag("liberty-only")
@ExtendWith(ArquillianExtension.class)
class ConsoleOidcBrowserIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;
  Http http;
  String testName;

  @BeforeAll
  static void keycloak() throws InterruptedException {
    Keycloak.awaitReady();
  }

  @BeforeEach
  void setUp(TestInfo info) {
    Browser.assumeInstalled();
    http = new Http(base);
    testName = "oidc-" + info.getTestMethod().orElseThrow().getName();
  }

  private String console(String page) {
    return http.base() + "/console/" + page;
  }

  /** Keycloak's login page is showing: fills it in and submits it. */
  private static void keycloakLogin(Browser b, String user, String password) {
    b.waitFor("username");
    assertTrue(
        b.driver.getCurrentUrl().startsWith(Keycloak.issuer() + "/"), b.driver.getCurrentUrl());
    b.screenshot("keycloak-login");
    b.byId("username").sendKeys(user);
    b.byId("password").sendKeys(password);
    b.byId("kc-login").click();
  }

  @Test
  void anOperatorSignsInAtKeycloakWorksInTheConsoleAndSignsOut() {
    try (Browser b = new Browser(testName, null)) {
      b.open(console(""));
      keycloakLogin(b, "kc-operator", "operator-password");

      b.waitForText("readiness-status", "UP");
      assertEquals(console(""), b.driver.getCurrentUrl());
      assertTrue(b.driver.getTitle().startsWith("Sealsync console"), b.driver.getTitle());
      b.waitForText("schema-version", Migrations.latest());
      b.screenshot("overview");

      // A console action through the operator API: create a tenant, then find it in the audit.
      b.driver.findElement(By.linkText("Tenants")).click();
      b.waitFor("tenant-list");
      String name = "OIDC Corp " + UUID.randomUUID();
      b.byId("new-tenant-name").sendKeys(name, Keys.ENTER);
      b.waitForText("tenant-name", name);
      long tenantId = Long.parseLong(b.byId("tenant-id").getText());
      b.screenshot("tenant-created");
      b.open(console("audit.html"));
      b.waitFor("audit-list");
      b.byId("f-target").sendKeys("tenant " + tenantId);
      b.byId("filter").click();
      b.waitForText("audit-list", "tenant.create");
      String sub =
          Keycloak.claims(
                  Keycloak.passwordToken("sealsync-app", "kc-operator", "operator-password"))
              .getString("sub");
      b.waitForText("audit-list", sub);
      b.screenshot("audit-by-oidc-operator");

      // Sign out: through Keycloak's logout back to the signed-out page.
      b.byId("sign-out").click();
      b.waitForText("signed-out", "Signed out");
      assertEquals(console("signed-out.html"), b.driver.getCurrentUrl());
      b.screenshot("signed-out");
      assertEquals(401, b.fetchStatus("/admin/overview", "GET"));

      // The console asks for Keycloak's login again (Keycloak's session ended too).
      b.open(console(""));
      b.waitFor("username");
      assertTrue(b.driver.getCurrentUrl().startsWith(Keycloak.issuer() + "/"));
      b.screenshot("login-again");
    }
  }

  @Test
  void aUserWithoutTheOperatorRoleGets403AndNoOperatorApi() {
    try (Browser b = new Browser(testName, null)) {
      b.open(console(""));
      keycloakLogin(b, "kc-alice", "alice-password");
      b.waitForText("refused-message", "operator role");
      assertTrue(b.driver.findElements(By.id("overview")).isEmpty());
      b.screenshot("refused");
      // Same origin as the console, with the console's header: the session is no operator.
      assertEquals(401, b.fetchStatus("/admin/overview", "GET"));
      assertEquals(401, b.fetchStatus("/admin/tenants", "POST"));
      // Back to the console: Keycloak still knows Alice and answers at once; refused again.
      b.open(console(""));
      new WebDriverWait(b.driver, Browser.WAIT)
          .until(ExpectedConditions.presenceOfElementLocated(By.id("refused")));
      assertTrue(b.driver.findElements(By.id("overview")).isEmpty());
    }
  }
}
