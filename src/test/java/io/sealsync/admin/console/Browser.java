package io.sealsync.admin.console;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Selenium, with nothing downloaded: the driver and the
 * browser are the packages' ({@code chromium-driver}, {@code chromium}), given by path.
 *
 * <p>Signing in: the console is behind the container's HTTP BASIC authentication, whose browser
 * dialog no WebDriver can fill in. The browser instead sends the operator's {@code Authorization}
 * header with every request it makes (navigations and the console's fetch calls), set through the
 * DevTools command {@code Network.setExtraHTTPHeaders}, which chromedriver relays itself: no
 * DevTools bindings of a matching browser version are needed, and the server sees exactly what a
 * browser sends after its login dialog.
 */
final class Browser implements AutoCloseable {
  static final Path DRIVER =
      Path.of(System.getProperty("sealsync.test.chromedriver", "/usr/bin/chromedriver"));
  static final Path BINARY =
      Path.of(System.getProperty("sealsync.test.chromium", "/usr/bin/chromium"));
  static final Duration WAIT = Duration.ofSeconds(30);

  /** Skips the calling test, saying why, when the packages are not installed. */
  static void assumeInstalled() {
    assumeTrue(
        Files.isExecutable(DRIVER) && Files.isExecutable(BINARY),
        "browser tests skipped: "
            + (Files.isExecutable(BINARY) ? "" : BINARY + " ")
            + (Files.isExecutable(DRIVER) ? "" : DRIVER + " ")
            + "not found; install Debian's chromium and chromium-driver packages"
            + " (apt-get install chromium chromium-driver) to run them");
  }

  final ChromeDriver driver;
  private final Path profile;
  private final Path screenshots;
  private final String testName;
  private int shot;

  Browser(String testName, String authorization) {
    this.testName = testName;
    this.screenshots =
        Path.of(System.getProperty("sealsync.test.screenshots", "target/console-screenshots"));
    System.setProperty("SE_OFFLINE", "true");
    try {
      profile = Files.createTempDirectory("sealsync-chromium-");
      Files.createDirectories(screenshots);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--user-data-dir=" + profile,
        "--window-size=1440,1000");
    // The page's console messages, Content-Security-Policy violations among them (browserLog).
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(WAIT);
    if (authorization != null) {
      driver.executeCdpCommand("Network.enable", Map.of());
      driver.executeCdpCommand(
          "Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization", authorization)));
    }
  }

  void open(String url) {
    driver.get(url);
  }

  WebElement waitFor(String id) {
    return waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
  }

  /**
   * A wait that looks again when a look was cut short by the page navigating (a form that was just
   * submitted): Chrome answers such a look with "aborted by navigation", not with "no element".
   */
  private WebDriverWait waiting() {
    WebDriverWait wait = new WebDriverWait(driver, WAIT);
    wait.ignoring(org.openqa.selenium.WebDriverException.class);
    return wait;
  }

  /** Waits until the element with this id shows the text (anywhere in it). */
  WebElement waitForText(String id, String text) {
    waiting()
        .withMessage(() -> "#" + id + " never showed '" + text + "': " + textOf(id))
        .until(ExpectedConditions.textToBePresentInElementLocated(By.id(id), text));
    return driver.findElement(By.id(id));
  }

  private String textOf(String id) {
    try {
      return driver.findElement(By.id(id)).getText();
    } catch (RuntimeException e) {
      return "(no element: " + e.getMessage().lines().findFirst().orElse("") + ")";
    }
  }

  WebElement byId(String id) {
    return driver.findElement(By.id(id));
  }

  /** Saves what the page shows now as target/console-screenshots/<test>-<n>-<name>.png. */
  void screenshot(String name) {
    byte[] png = fullPage();
    try {
      Files.write(
          screenshots.resolve(String.format("%s-%02d-%s.png", testName, ++shot, name)), png);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The whole page, not only the window (the DevTools command, through chromedriver). */
  @SuppressWarnings("unchecked")
  private byte[] fullPage() {
    try {
      Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
      Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
      double width = ((Number) size.get("width")).doubleValue();
      double height = Math.min(8000, ((Number) size.get("height")).doubleValue());
      Map<String, Object> shot =
          driver.executeCdpCommand(
              "Page.captureScreenshot",
              Map.of(
                  "format",
                  "png",
                  "captureBeyondViewport",
                  true,
                  "clip",
                  Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
      return java.util.Base64.getDecoder().decode((String) shot.get("data"));
    } catch (RuntimeException e) {
      return driver.getScreenshotAs(OutputType.BYTES);
    }
  }

  /** The console messages of the page since the last call (errors, CSP violations, logs). */
  List<String> browserLog() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(e -> e.getLevel() + " " + e.getMessage())
        .toList();
  }

  /** The HTTP status of a same-origin fetch made by the page, with the browser's credentials. */
  long fetchStatus(String path, String method) {
    Object status =
        driver.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "fetch(arguments[0], {method: arguments[1], headers: {'X-Sealsync-Request': 'test'}})"
                + ".then(r => done(r.status), e => done(-1));",
            path,
            method);
    return ((Number) status).longValue();
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // A leftover temporary profile is harmless.
      }
    }
  }
}
