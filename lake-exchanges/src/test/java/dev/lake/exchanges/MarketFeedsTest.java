package dev.lake.exchanges;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.model.MarketType;
import dev.lake.exchanges.poll.Instruments;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which symbols each feed of a market starts with, and when, for any venue. */
class MarketFeedsTest {
  private final List<String> started = new ArrayList<>();

  private static FeedSettings feed(DataType type, SymbolSelection symbols) {
    return new FeedSettings(
        type, true, URI.create("wss://example/ws"), 0, 0, null, 0, null, symbols);
  }

  private MarketFeeds feeds(FeedSettings... feeds) {
    Map<DataType, FeedSettings> byType = new EnumMap<>(DataType.class);
    for (FeedSettings feed : feeds) {
      byType.put(feed.type(), feed);
    }
    return new MarketFeeds(
        "venue future",
        new MarketSettings("venue", MarketType.FUTURE, byType),
        (type, feed, symbols, first) ->
            started.add(type.configKey() + " " + symbols + " " + first));
  }

  private static Instruments listing(String... symbols) {
    List<SymbolSelection.Instrument> instruments = new ArrayList<>();
    for (String symbol : symbols) {
      instruments.add(
          new SymbolSelection.Instrument(symbol, symbol.endsWith("USDC") ? "USDC" : "USDT"));
    }
    return new Instruments(instruments, List.of());
  }

  @Test
  void aFeedWithAListStartsAtOnceAndNeedsNoInstruments() {
    MarketFeeds feeds =
        feeds(feed(DataType.TRADES, SymbolSelection.of(List.of("BTCUSDT", "ETHUSDT"))));

    assertThat(feeds.startListed()).isFalse();
    assertThat(started).containsExactly("trades [BTCUSDT, ETHUSDT] true");
  }

  @Test
  void aFeedOfAllSymbolsStartsWithTheInstrumentsAndLaterOnlyWithNewListings() {
    MarketFeeds feeds =
        feeds(
            feed(
                DataType.ORDERBOOK_DELTA,
                new SymbolSelection(List.of(), true, List.of("USDT"), 0)));

    assertThat(feeds.startListed()).isTrue();
    feeds.onInstruments(listing("BTCUSDT", "BTCUSDC"));
    feeds.onInstruments(listing("BTCUSDT", "BTCUSDC", "SOLUSDT"));
    feeds.onInstruments(listing("BTCUSDT", "SOLUSDT"));

    assertThat(started)
        .containsExactly("orderbook.delta [BTCUSDT] true", "orderbook.delta [SOLUSDT] false");
  }

  @Test
  void aContractsFeedNeedsTheInstrumentsAndStartsNothingItself() {
    MarketFeeds feeds = feeds(feed(DataType.CONTRACTS, SymbolSelection.none()));

    assertThat(feeds.startListed()).isTrue();
    feeds.onInstruments(listing("BTCUSDT"));
    assertThat(started).isEmpty();
  }
}
