package dev.lake.exchanges.binance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.model.MarketType;
import dev.lake.core.model.StreamEventType;
import dev.lake.exchanges.CollectingSink;
import dev.lake.exchanges.ConnectorContext;
import dev.lake.exchanges.DataType;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.MicrosClock;
import dev.lake.exchanges.SymbolSelection;
import dev.lake.exchanges.transport.Transport;
import dev.lake.testing.binance.FakeBinance;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The USD-M connector when Binance cannot be reached: a host that does not resolve for the depth
 * stream and its snapshots, a loopback port nobody listens on for liquidations and open interest.
 * The no-contact notice comes after 1 s here instead of a minute.
 */
class BinanceOfflineTest {
  private static final SymbolSelection BTCUSDT = SymbolSelection.of(List.of("BTCUSDT"));

  private final List<String> notices = new CopyOnWriteArrayList<>();
  private Transport transport;
  private CollectingSink sink;
  private BinanceConnector connector;
  private FakeBinance binance;
  private int deadPort;

  @BeforeEach
  void start() throws IOException {
    transport = Transport.create(2, null, MicrosClock.SYSTEM, Duration.ofSeconds(1), notices::add);
    sink = new CollectingSink();
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = socket.getLocalPort();
    }
  }

  @AfterEach
  void stop() {
    if (connector != null) {
      connector.close();
    }
    transport.close();
    if (binance != null) {
      binance.close();
    }
  }

  private void connectOffline() {
    String dead = "127.0.0.1:" + deadPort;
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    feeds.put(
        DataType.ORDERBOOK_DELTA,
        feed(
            DataType.ORDERBOOK_DELTA,
            "ws://nonexistent.invalid/public/ws",
            "http://nonexistent.invalid/fapi/v1/depth"));
    feeds.put(
        DataType.LIQUIDATION, feed(DataType.LIQUIDATION, "ws://" + dead + "/market/ws", null));
    feeds.put(
        DataType.OPEN_INTEREST,
        feed(DataType.OPEN_INTEREST, "http://" + dead + "/fapi/v1/openInterest", null));
    connect(feeds);
  }

  private void connect(Map<DataType, FeedSettings> feeds) {
    connector =
        new BinanceConnector(
            new MarketSettings("binance", MarketType.FUTURE, feeds),
            ConnectorContext.of(transport, sink, Map.of()));
    connector.start();
  }

  private static FeedSettings feed(DataType type, String url, String snapshotUrl) {
    FeedSettings defaults = new BinanceVenue().defaults(MarketType.FUTURE, type);
    return new FeedSettings(
        type,
        true,
        URI.create(url),
        type == DataType.OPEN_INTEREST ? 200 : defaults.intervalMs(),
        defaults.limit(),
        defaults.snapshotSource(),
        defaults.snapshotLimit(),
        snapshotUrl == null ? null : URI.create(snapshotUrl),
        BTCUSDT);
  }

  @Test
  void connectionsThatNeverOpenedAreCountedAsFailedAttemptsNotRecordedAsDisconnects() {
    connectOffline();
    CollectingSink.awaitTrue(
        "two failed attempts of each WebSocket feed",
        () -> connector.stats().failedConnections() >= 4,
        Duration.ofSeconds(15));

    assertThat(sink.events(StreamEventType.DISCONNECT)).isEmpty();
    assertThat(sink.events(StreamEventType.CONNECT)).isEmpty();
    assertThat(connector.stats().openConnections()).isZero();
  }

  @Test
  void whenNoExchangeIsReachedItIsSaidOnceNamingTheHostsTried() throws InterruptedException {
    connectOffline();
    CollectingSink.awaitTrue("a notice", () -> !notices.isEmpty(), Duration.ofSeconds(10));
    // the time is the behaviour: a second notice would come within it, and must not
    Thread.sleep(2_500);

    assertThat(notices)
        .containsExactly(
            "No exchange reached in 1 s: check the network connection, any proxy or firewall, and"
                + " the configured URLs (tried 127.0.0.1, nonexistent.invalid); lake keeps trying");
  }

  @Test
  void whenAnExchangeAnswersNothingIsSaidAboutReachingNone() throws InterruptedException {
    binance = FakeBinance.start();
    binance.addSymbol(MarketType.FUTURE, "BTCUSDT", "BTC", "USDT", 5);
    connect(
        Map.of(
            DataType.OPEN_INTEREST,
            feed(DataType.OPEN_INTEREST, binance.httpBase() + "/fapi/v1/openInterest", null)));
    CollectingSink.awaitTrue(
        "an open interest request",
        () -> binance.restRequests("/fapi/v1/openInterest") > 0,
        Duration.ofSeconds(10));
    // the time is the behaviour: past the 1 s of the notice, nothing is said
    Thread.sleep(2_000);

    assertThat(notices).isEmpty();
  }
}
