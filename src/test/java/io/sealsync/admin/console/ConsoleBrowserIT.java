package io.sealsync.admin.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.agentstate.ReplicationClient;
import io.sealsync.rowsync.SyncClient;
import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.Migrations;
import io.sealsync.testsupport.TestDatabase;
import jakarta.json.JsonObject;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console in a real headless Chromium (Debian's packages; skipped, with the reason,
 * where they are not installed). Each test saves a screenshot of every page it visits under
 * target/console-screenshots/. On OpenLiberty; the API below the console runs on all three servers
 * ({@link ConsoleApiIT}).
 */
@Tag("liberty-only")
@ExtendWith(ArquillianExtension.class)
class ConsoleBrowserIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;
  Http http;
  String testName;

  @BeforeEach
  void setUp(TestInfo info) {
    Browser.assumeInstalled();
    http = new Http(base);
    testName = info.getTestMethod().orElseThrow().getName();
  }

  private String console(String page) {
    return http.base() + "/console/" + page;
  }

  private Browser operator() {
    return new Browser(testName, Operators.ADMIN);
  }

  @Test
  void operatorManagesATenantItsCreditsAndKeys() throws Exception {
    try (Browser b = operator()) {
      b.open(console(""));
      b.waitForText("readiness-status", "UP");
      b.waitFor("chart-errors");
      assertTrue(b.driver.getTitle().startsWith("Sealsync console"), b.driver.getTitle());
      assertTrue(
          b.byId("sign-out").getAttribute("href").endsWith("/console/logout"),
          b.byId("sign-out").getAttribute("href"));
      assertEquals("main", b.byId("overview").getTagName());
      b.waitForText("schema-version", Migrations.latest());
      b.screenshot("overview");

      // Tenants: create one with the keyboard only (Enter submits the form).
      b.driver.findElement(By.linkText("Tenants")).click();
      b.waitFor("tenant-list");
      String name = "Browser Corp " + UUID.randomUUID();
      b.byId("new-tenant-name").sendKeys(name, Keys.ENTER);
      b.waitForText("tenant-name", name);
      long tenantId = Long.parseLong(b.byId("tenant-id").getText());
      b.waitForText("balance", "0.000");
      b.screenshot("tenant-created");

      // API errors are shown as messages: the same name again is refused.
      b.open(console("tenants.html"));
      b.waitFor("tenant-list");
      b.byId("new-tenant-name").sendKeys(name.toUpperCase(), Keys.ENTER);
      b.waitForText("messages", "exists already");
      b.screenshot("duplicate-name-refused");

      // The list finds it by search.
      b.byId("tenant-search").sendKeys(name, Keys.ENTER);
      new WebDriverWait(b.driver, Browser.WAIT)
          .until(
              ExpectedConditions.textToBePresentInElementLocated(By.id("tenant-list"), "1–1 of 1"));
      b.screenshot("tenant-search");
      b.driver.findElement(By.linkText(name)).click();
      b.waitForText("tenant-name", name);

      // Credits.
      b.byId("credits-cents").sendKeys("500");
      b.byId("add-credits").click();
      b.waitForText("balance", "500.000");
      b.waitForText("ledger", "deposit");

      // A key: shown once, with a copy button and a warning.
      WebElement keyName = b.byId("key-name");
      keyName.clear();
      keyName.sendKeys("browser-key");
      b.byId("issue-key").click();
      String raw = b.waitFor("issued-key-value").getText();
      assertTrue(raw.matches("sov_live_[A-Za-z0-9]{40}"), raw);
      assertTrue(b.byId("issued-key-warning").getText().contains("only time it is shown"));
      b.byId("copy-key").click();
      b.waitForText("copy-status", "C");
      b.screenshot("key-issued-once");
      b.driver.navigate().refresh();
      b.waitForText("keys", "browser-key");
      assertFalse(b.driver.getPageSource().contains(raw), "the raw key is never shown again");
      assertTrue(b.byId("keys").getText().contains(raw.substring(0, 13)), "its prefix is listed");
      long keyId =
          http.admin("GET", "/admin/tenants/" + tenantId + "/keys", null)
              .array()
              .getJsonObject(0)
              .getJsonNumber("id")
              .longValue();
      b.waitForText("key-state-" + keyId, "live");

      // Replicate with the key over HTTP: the head, the bytes and the ledger move.
      ReplicationClient client = new ReplicationClient(http, raw);
      Http.Reply replicated = client.append(Operators.blocks(3, 1000, 42));
      assertEquals(200, replicated.status(), replicated.text());
      b.byId("agent-state-link").click();
      b.waitForText("head-seq", "2");
      b.waitForText("log-blocks", "3");
      b.waitForText("log-bytes", "3,000 B");
      assertEquals(64, b.byId("head-root").getText().length());
      b.screenshot("agent-state-after-replicate");
      b.byId("back-to-tenant").click();
      b.waitForText("ledger", "replicate");
      assertFalse(b.byId("balance").getText().startsWith("500.000"), b.byId("balance").getText());
      b.screenshot("ledger-after-replicate");

      // Revoke, confirming the browser's question; the key stops working.
      b.byId("revoke-" + keyId).click();
      b.driver.switchTo().alert().accept();
      b.waitForText("key-state-" + keyId, "revoked");
      b.screenshot("key-revoked");
      assertEquals(401, client.append(Operators.blocks(1, 10, 43)).status());

      // The audit page lists every action, by this operator.
      b.open(console("audit.html"));
      b.waitFor("audit-list");
      b.byId("f-target").sendKeys("tenant " + tenantId);
      b.byId("filter").click();
      for (String action :
          List.of("tenant.create", "tenant.credits.add", "key.issue", "key.revoke")) {
        b.waitForText("audit-list", action);
      }
      b.screenshot("audit");
      String audit = b.byId("audit-list").getText();
      assertTrue(audit.contains(Http.ADMIN_USER), audit);
      // The refused duplicate is recorded too.
      new org.openqa.selenium.support.ui.Select(b.byId("f-outcome")).selectByValue("failed");
      b.byId("f-target").clear();
      b.byId("f-target").sendKeys(name.toUpperCase());
      b.byId("filter").click();
      b.waitForText("audit-list", "name_taken");
      b.screenshot("audit-failed-actions");

      // The overview's charts show this traffic (the replicates, the refused one's 401).
      b.open(console(""));
      b.waitForText("readiness-status", "UP");
      new WebDriverWait(b.driver, Browser.WAIT)
          .until(
              ExpectedConditions.presenceOfElementLocated(
                  By.cssSelector("#chart-errors svg polyline")));
      assertTrue(b.byId("chart-errors").getText().contains("HTTP 401"), "the 401 is charted");
      b.screenshot("overview-after-traffic");

      // Sign out.
      b.byId("sign-out").click();
      b.waitForText("signed-out", "Signed out");
      assertTrue(b.driver.getTitle().startsWith("Sealsync console"));
      assertTrue(b.byId("signed-out").getText().contains("close"));
      b.screenshot("signed-out");
    }
  }

  @Test
  void theApiReferenceRendersADocumentAndTriesItOutOnThisServer() {
    try (Browser b = operator()) {
      b.open(console(""));
      b.waitFor("sign-out");
      // Reached from the shared navigation; Swagger UI, served from the WAR under the console's
      // Content-Security-Policy, renders the chosen document's operations.
      b.driver.findElement(By.linkText("API reference")).click();
      b.waitFor("api-documents");
      b.driver.findElement(By.linkText("Operator API")).click();
      WebElement create = operation(b, "post", "/admin/tenants");
      assertTrue(b.driver.getCurrentUrl().endsWith("/console/api.html?doc=operator"));
      assertEquals(
          "page", b.driver.findElement(By.linkText("API reference")).getAttribute("aria-current"));
      assertEquals(
          "page", b.driver.findElement(By.linkText("Operator API")).getAttribute("aria-current"));
      assertTrue(
          b.byId("swagger-ui").getText().contains("Sealsync operator API"),
          "the document's title is shown");
      b.screenshot("api-reference-operator");

      // "Try it out" calls this server as the signed-in operator: a tenant is created (a
      // state-changing call from a browser, which passes the CSRF check with the page's header).
      String name = "Reference Corp " + UUID.randomUUID();
      create.findElement(By.cssSelector(".opblock-summary")).click();
      create.findElement(By.cssSelector(".try-out__btn")).click();
      WebElement body = create.findElement(By.cssSelector("textarea.body-param__text"));
      body.clear();
      body.sendKeys("{\"name\": \"" + name + "\"}");
      create.findElement(By.cssSelector("button.execute")).click();
      new WebDriverWait(b.driver, Browser.WAIT)
          .until(
              ExpectedConditions.textToBePresentInElementLocated(
                  By.cssSelector(".live-responses-table tr.response .response-col_status"), "201"));
      b.screenshot("api-reference-tried-out");
      String found =
          http.admin(
                  "GET",
                  "/admin/tenants?q=" + URLEncoder.encode(name, StandardCharsets.UTF_8),
                  null)
              .text();
      assertTrue(found.contains(name), found);

      // Another document, chosen by the page's own links.
      b.driver.findElement(By.linkText("Row sync API")).click();
      operation(b, "post", "/sync/connect");
      assertTrue(b.driver.getCurrentUrl().endsWith("/console/api.html?doc=rowsync"));
      List<String> log = b.browserLog();
      assertFalse(
          log.stream().anyMatch(m -> m.contains("Content Security Policy")),
          "no Content-Security-Policy violation: " + log);
    }
  }

  /** Waits for Swagger UI's block of one operation and returns it. */
  private static WebElement operation(Browser b, String method, String path) {
    return new WebDriverWait(b.driver, Browser.WAIT)
        .until(
            ExpectedConditions.visibilityOfElementLocated(
                By.xpath(
                    "//div[contains(@class,'opblock-"
                        + method
                        + "')][.//*[@data-path='"
                        + path
                        + "']]")));
  }

  @Test
  void verifyReportsAnIntactLogAndTheFirstBrokenSequence() throws Exception {
    Http.LiveTenant t = http.liveTenant(1000, null, null);
    ReplicationClient client = new ReplicationClient(http, t.key());
    assertEquals(200, client.append(Operators.blocks(12, 500, 5)).status());
    try (Browser b = operator()) {
      b.open(console("agent-state.html?tenant=" + t.tenantId()));
      b.waitForText("head-seq", "11");
      b.byId("verify").click();
      b.waitForText("verify-result", "Intact");
      assertTrue(b.byId("verify-result").getText().contains("12 blocks"));
      b.screenshot("verify-intact");

      try (Connection db = TestDatabase.connect();
          PreparedStatement ps =
              db.prepareStatement(
                  "UPDATE replication_log SET ciphertext = ? WHERE tenant_id = ?"
                      + " AND sequence_number = 7")) {
        ps.setBytes(1, "tampered".getBytes(StandardCharsets.UTF_8));
        ps.setLong(2, t.tenantId());
        assertEquals(1, ps.executeUpdate());
      }
      b.byId("verify").click();
      b.waitForText("verify-result", "Broken at sequence");
      assertEquals("7", b.byId("broken-sequence").getText());
      assertTrue(b.byId("verify-result").getText().contains("block_hash"));
      b.screenshot("verify-broken");
    }
  }

  @Test
  void aPushedBundleShowsWithItsUserAndRows() {
    String userId = "browser-" + UUID.randomUUID();
    SyncClient c = new SyncClient(http, userId, "phone");
    c.connect(false);
    String tag = "tag-" + UUID.randomUUID();
    JsonObject committed = c.push(1, List.of(SyncClient.tag(tag, "INSERT", 0, "purple")));
    long seq = committed.getJsonNumber("bundle_seq").longValue();
    try (Browser b = operator()) {
      b.open(console("rowsync.html"));
      b.waitForText("tables", "demo.tags");
      b.byId("user-search").sendKeys(userId, Keys.ENTER);
      b.waitForText("users", "1–1 of 1");
      assertTrue(b.byId("users").getText().contains("initialized"));
      b.screenshot("rowsync-users");
      b.driver.findElement(By.linkText(userId)).click();
      b.waitForText("user-id", userId);
      b.waitForText("latest-bundle", String.valueOf(seq));
      b.waitForText("sources", "phone");
      b.waitForText("bundles", "phone");
      b.screenshot("rowsync-user");
      b.byId("show-rows-" + seq).click();
      b.waitForText("bundle-rows", tag);
      assertTrue(b.byId("bundle-rows").getText().contains("purple"));
      b.screenshot("rowsync-bundle-rows");
    }
  }

  @Test
  void aUserWithoutTheRoleIsRefused() {
    try (Browser b = new Browser(testName, Operators.VIEWER)) {
      b.open(console(""));
      assertFalse(b.driver.getTitle().startsWith("Sealsync console"), b.driver.getTitle());
      assertTrue(b.driver.findElements(By.id("overview")).isEmpty());
      b.screenshot("refused-page");
      // From a console page of the same origin (the public signed-out page), every call fails.
      b.open(console("logout"));
      assertEquals(403, b.fetchStatus("/admin/overview", "GET"));
      assertEquals(403, b.fetchStatus("/admin/tenants", "POST"));
      assertEquals(403, b.fetchStatus("/console/", "GET"));
    }
    // (Anonymous callers get 401 and a login prompt, which headless Chromium would wait on
    // forever: ConsoleApiIT covers them over HTTP.)
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
