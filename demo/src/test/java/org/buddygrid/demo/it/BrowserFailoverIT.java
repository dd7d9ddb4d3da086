package org.buddygrid.demo.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.buddygrid.demo.WebClient;
import org.buddygrid.demo.launcher.DemoCluster;
import org.buddygrid.demo.launcher.NodeProcess.State;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The demo as a person uses it, in Debian's headless chromium: three node processes behind Apache
 * httpd (started by the launcher, on free ports), sign in, fill the cart, kill -9 the node that
 * owns the session from the dashboard's button, reload: the cart is intact and the dashboard shows
 * the takeover. Saves the dashboard's screenshot in {@code target/screenshots/dashboard.png}.
 */
class BrowserFailoverIT {
  private static DemoCluster demo;
  private static WebDriver browser;
  private static String shop;
  private static Thread traffic;

  /** Kept: Selenium's warning that it has no DevTools binding for this chromium (none is used). */
  private static final java.util.logging.Logger SELENIUM =
      java.util.logging.Logger.getLogger("org.openqa.selenium");

  private static final List<WebClient> clients = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    Tools.requireApache();
    Tools.requireChromium();
    demo = DemoClusters.startThreeNodesBehindHttpd("browser-it-");
    shop = demo.balancerUrl().orElseThrow();
    SELENIUM.setLevel(java.util.logging.Level.SEVERE);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(Tools.CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--user-data-dir=" + Files.createTempDirectory("buddygrid-chromium-"),
        "--window-size=1440,1020");
    // An explicit driver: Selenium Manager is never asked to find or download anything.
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Tools.CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (traffic != null) {
      traffic.interrupt();
      traffic.join(5_000);
    }
    try {
      if (browser != null) {
        browser.quit();
      }
    } finally {
      try {
        if (demo != null) {
          demo.close();
        }
      } finally {
        Children.killAll();
      }
    }
  }

  private static String text(String css) {
    return browser.findElement(By.cssSelector(css)).getText();
  }

  private static void awaitText(String css, String expected) {
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(text(css)).isEqualTo(expected));
  }

  private static void addToCart(String sku, int countAfter) {
    browser.findElement(By.cssSelector("button.add[data-sku='" + sku + "']")).click();
    awaitText("#cart-count", Integer.toString(countAfter));
  }

  @Test
  @Timeout(240)
  void theCartSurvivesTheOwnersKillAndTheDashboardShowsTheTakeover() throws Exception {
    clients.addAll(spreadSomeSessions(24)); // so the dashboard has sessions on every node
    traffic = new Thread(BrowserFailoverIT::traffic, "traffic");
    traffic.setDaemon(true);
    traffic.start();

    browser.get(shop);
    browser.findElement(By.id("login-name")).sendKeys("alice");
    browser.findElement(By.id("login-button")).click();
    awaitText("#user", "alice");
    addToCart("mug", 1);
    addToCart("espresso", 2);
    addToCart("mug", 3);
    Cookie cookie = browser.manage().getCookieNamed("JSESSIONID");
    String owner = cookie.getValue().substring(cookie.getValue().lastIndexOf('.') + 1);
    assertThat(text("#served-by")).isEqualTo(owner);

    browser.get(shop + "grid");
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () ->
                !browser
                    .findElements(By.cssSelector(".node[data-route='" + owner + "'] .badge.mine"))
                    .isEmpty());
    browser
        .findElement(By.cssSelector("button[data-action='kill'][data-node='" + owner + "']"))
        .click();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> demo.node(owner).orElseThrow().state() == State.DOWN);

    browser.get(shop);
    awaitText("#cart-count", "3");
    assertThat(text("#user")).isEqualTo("alice");
    String newOwner = text("#served-by");
    assertThat(newOwner).isNotEqualTo(owner);
    List<String> lines = new ArrayList<>();
    for (WebElement li : browser.findElements(By.cssSelector("#cart-items li"))) {
      lines.add(li.getAttribute("data-sku") + "=" + li.getAttribute("data-quantity"));
    }
    assertThat(lines).containsExactly("mug=2", "espresso=1");
    assertThat(browser.manage().getCookieNamed("JSESSIONID").getValue()).endsWith("." + newOwner);

    clients.addAll(spreadSomeSessions(6));
    int sessions = clients.size() + 1; // and alice's
    browser.get(shop + "grid");
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(text("#you-owner")).isEqualTo(newOwner);
              assertThat(
                      browser
                          .findElement(By.cssSelector(".node[data-route='" + owner + "']"))
                          .getAttribute("data-state"))
                  .isNotEqualTo("up");
              assertThat(text("#events")).contains(owner + " left the grid");
              assertThat(browser.findElements(By.cssSelector("#events li[data-kind='promoted']")))
                  .as("the dead node's other sessions were promoted on their backups")
                  .isNotEmpty();
              assertThat(text("#stat-sessions"))
                  .as("no session was lost")
                  .isEqualTo(Integer.toString(sessions));
              assertThat(text("#stat-backups")).isEqualTo(Integer.toString(sessions));
              assertThat(text("#stat-risk")).isEqualTo("0");
              assertThat(Double.parseDouble(text("#stat-rps"))).isPositive();
            });
    // The dashboard re-renders its event list while it is read: read it again if an item went
    // stale under the reader.
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
        .untilAsserted(
            () -> {
              List<String> moves = new ArrayList<>();
              for (WebElement li :
                  browser.findElements(
                      By.cssSelector(
                          "#events li[data-kind='takeover'], #events li[data-kind='promoted']"))) {
                moves.add(li.getText());
              }
              assertThat(moves)
                  .as("alice's session: taken over on her request, or promoted before it came")
                  .anyMatch(t -> t.contains(newOwner));
            });
    Path shots = Path.of(System.getProperty("buddygrid.demo.screenshots", "target/screenshots"));
    Files.createDirectories(shots);
    File png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(
        png.toPath(),
        shots.resolve("dashboard.png"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** Creates {@code n} sessions through the balancer, each with a few requests. */
  private static List<WebClient> spreadSomeSessions(int n) {
    List<WebClient> created = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      WebClient client = new WebClient();
      client.postJson(shop + "api/counter");
      client.post(shop + "api/cart", "sku=stickers");
      created.add(client);
    }
    return created;
  }

  /** A few requests a second on the existing sessions, until interrupted: the traffic graph. */
  private static void traffic() {
    long next = System.nanoTime();
    for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
      try {
        clients.get(i % clients.size()).post(shop + "api/counter");
      } catch (RuntimeException e) {
        // a request in flight when its node was killed; the next one fails over
      }
      next += 150_000_000L;
      java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
    }
  }
}
