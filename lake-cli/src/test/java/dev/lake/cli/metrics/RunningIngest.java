package dev.lake.cli.metrics;

import static org.awaitility.Awaitility.await;

import dev.lake.cli.CliContext;
import dev.lake.cli.LakeCli;
import dev.lake.core.model.MarketType;
import dev.lake.testing.binance.DepthEvent;
import dev.lake.testing.binance.FakeBinance;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code lake ingest} run in this JVM against a {@link FakeBinance} (two spot books and two USD-M
 * books), with its metrics endpoint on a free loopback port, stopped as a stop signal stops it.
 */
final class RunningIngest implements AutoCloseable {
  final FakeBinance binance;
  final int port;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final AtomicReference<Runnable> stopSignal = new AtomicReference<>();
  private final CompletableFuture<Integer> exit;
  private final HttpClient http = HttpClient.newHttpClient();

  private RunningIngest(FakeBinance binance, int port, CompletableFuture<Integer> exit) {
    this.binance = binance;
    this.port = port;
    this.exit = exit;
  }

  /** Starts lake with metrics on a free port and waits until every book is subscribed. */
  static RunningIngest start(Path folder) throws IOException {
    return start(folder, "");
  }

  /**
   * Starts lake as {@link #start(Path)} does, also collecting spot BTCUSDT's trades, and waits
   * until they are subscribed too.
   */
  static RunningIngest startWithSpotTrades(Path folder) throws IOException {
    RunningIngest ingest = start(folder, "\n      trades: {url: %2$s/ws, symbols: [BTCUSDT]}");
    ingest.binance.awaitSubscribed(MarketType.SPOT, "btcusdt@trade", Duration.ofSeconds(60));
    return ingest;
  }

  private static RunningIngest start(Path folder, String spotFeeds) throws IOException {
    FakeBinance binance = FakeBinance.start(Duration.ofSeconds(2));
    for (MarketType market : MarketType.values()) {
      binance.addSymbol(market, "BTCUSDT", "BTC", "USDT", 40);
      binance.addSymbol(market, "ETHUSDT", "ETH", "USDT", 40);
    }
    Path work = Files.createDirectories(folder.resolve("work"));
    Files.writeString(work.resolve("lake.yml"), config(binance, spotFeeds));
    int port = freePort();
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    RunningIngest ingest = new RunningIngest(binance, port, exit);
    Thread thread =
        new Thread(
            () -> {
              try {
                exit.complete(
                    LakeCli.run(
                        ingest.context(work),
                        "ingest",
                        "--config",
                        "lake.yml",
                        "--status-interval",
                        "500ms",
                        "--metrics-port",
                        Integer.toString(port)));
              } catch (Throwable e) {
                exit.completeExceptionally(e);
              }
            },
            "lake-ingest-under-test");
    thread.setDaemon(true);
    thread.start();
    for (MarketType market : MarketType.values()) {
      binance.awaitSubscribed(market, "btcusdt@depth@100ms", Duration.ofSeconds(60));
      binance.awaitSubscribed(market, "ethusdt@depth@100ms", Duration.ofSeconds(60));
    }
    return ingest;
  }

  private CliContext context(Path work) {
    return new CliContext(
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        Map.of(),
        work,
        stopSignal::set,
        false);
  }

  private static String config(FakeBinance binance, String spotFeeds) {
    return """
        source:
          binance:
            spot:
              orderbook:
                delta: {url: %2$s/ws, interval_ms: 100, snapshot_limit: 1000, snapshot_url: %1$s/api/v3/depth, symbols: [BTCUSDT, ETHUSDT]}%3$s
            future:
              orderbook:
                delta: {url: %2$s/public/stream, interval_ms: 100, snapshot_limit: 1000, snapshot_url: %1$s/fapi/v1/depth, symbols: [BTCUSDT, ETHUSDT]}
        sink:
          warehouse: ./warehouse
          commit_interval_ms: 1000
          wal_dir: ./wal
        """
        .formatted(
            binance.httpBase(),
            binance.wsBase(),
            spotFeeds.formatted(binance.httpBase(), binance.wsBase()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The endpoint's base URL. */
  String url() {
    return "http://127.0.0.1:" + port + "/";
  }

  /** Publishes one depth event on each of the four books. */
  void publishRound() {
    for (MarketType market : MarketType.values()) {
      binance.publishDepth(market, "BTCUSDT", 3);
      binance.publishDepth(market, "ETHUSDT", 2);
    }
  }

  /** Loses the next spot BTCUSDT event: the one after it is a gap. */
  DepthEvent dropSpotEvent() {
    return binance.dropNextDepth(MarketType.SPOT, "BTCUSDT", 2);
  }

  /** What {@code GET /<path>} answers, with its content type. */
  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Scrapes {@code /metrics} and parses it strictly. */
  PrometheusText scrape() throws IOException, InterruptedException {
    HttpResponse<String> response = get("metrics");
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET /metrics answered " + response.statusCode());
    }
    return PrometheusText.parse(response.body());
  }

  /** Waits for the endpoint to answer. */
  void awaitEndpoint() {
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> get("metrics").statusCode() == 200);
  }

  synchronized String out() {
    return out.toString();
  }

  /** Stops lake as SIGTERM does and returns its exit code. */
  int stop() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> stopSignal.get() != null);
    stopSignal.get().run();
    return exit.get(90, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    try {
      if (!exit.isDone()) {
        stop();
      }
    } finally {
      binance.close();
    }
  }
}
