package dev.lake.cli.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lake.core.model.MarketType;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The dashboard of {@code lake ingest} in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}; nothing is downloaded). Skipped where they are not installed.
 */
class DashboardTest {
  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

  @TempDir Path folder;
  private RunningIngest ingest;
  private WebDriver browser;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(
        CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
        "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
    ingest = RunningIngest.start(folder);
    ingest.awaitEndpoint();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1200");
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).build();
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (ingest != null) {
      ingest.close();
    }
  }

  @Test
  void thePageLoadsWithoutConsoleErrorsAndShowsARowPerVenueMarket() throws Exception {
    browser.get(ingest.url());
    await().atMost(Duration.ofSeconds(30)).until(() -> markets().size() == 2);

    assertThat(markets()).containsExactly("binance future", "binance spot");
    assertThat(text("#connections")).isEqualTo("2");
    assertThat(consoleProblems()).isEmpty();
  }

  @Test
  void thePageUpdatesByItselfAsMessagesArrive() throws Exception {
    browser.get(ingest.url());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              ingest.publishRound();
              return !committedCell().isEmpty();
            });
    String updated = text("#updated");
    String committed = committedCell();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              ingest.publishRound();
              return !committedCell().equals(committed);
            });

    assertThat(text("#updated")).isNotEqualTo(updated);
    assertThat(consoleProblems()).isEmpty();
  }

  @Test
  void aBookOutOfSyncShowsInTheStatusAndTheGapsOfTheLastHour() throws Exception {
    browser.get(ingest.url());
    awaitAllBooksInSync();
    ingest.binance.failNextRequests("/api/v3/depth", 1, 429, 5);
    ingest.dropSpotEvent();
    ingest.binance.publishDepth(MarketType.SPOT, "BTCUSDT", 2);
    await()
        .atMost(Duration.ofSeconds(30))
        .alias("the status says a book is out of sync")
        .until(() -> status().contains("1 book out of sync") || !consoleProblems().isEmpty());
    assertThat(consoleProblems()).isEmpty();
    awaitAllBooksInSync();
    // a few more refreshes, so that the charts have lines in the screenshot
    for (int i = 0; i < 12; i++) {
      ingest.publishRound();
      Thread.sleep(500); // pacing the fake, as a venue spreads its events
    }

    assertThat(text("tr[data-market='binance spot'] td:nth-child(7)"))
        .as("gaps 1 h")
        .isEqualTo("1");
    Path screenshot = Path.of("target", "dashboard.png");
    Files.copy(
        ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath(),
        screenshot,
        StandardCopyOption.REPLACE_EXISTING);
    assertThat(consoleProblems()).isEmpty();
  }

  private void awaitAllBooksInSync() {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              ingest.publishRound();
              return status().equals("all books in sync");
            });
  }

  /** The markets the page lists, read in one go (the page rebuilds its tables on every refresh). */
  @SuppressWarnings("unchecked")
  private List<String> markets() {
    return (List<String>)
        ((JavascriptExecutor) browser)
            .executeScript(
                "return Array.from(document.querySelectorAll('#markets tbody tr'))"
                    + ".map(function (row) { return row.getAttribute('data-market'); });");
  }

  /** The text of the first element a CSS selector finds, or "" when none does. */
  private String text(String selector) {
    Object text =
        ((JavascriptExecutor) browser)
            .executeScript(
                "var e = document.querySelector(arguments[0]); return e ? e.textContent : '';",
                selector);
    return (String) text;
  }

  private String committedCell() {
    return text("#tables tr[data-table='orderbook_delta'] td:nth-child(2)");
  }

  private String status() {
    return text("#status");
  }

  /** Warnings and errors the page logged (failed loads, script errors). */
  private List<String> consoleProblems() {
    return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
        .map(LogEntry::toString)
        .toList();
  }
}
