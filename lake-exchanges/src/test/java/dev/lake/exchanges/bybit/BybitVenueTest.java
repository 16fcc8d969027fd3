package dev.lake.exchanges.bybit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.model.MarketType;
import dev.lake.exchanges.DataType;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.SymbolSelection;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What Bybit's venue description accepts, refuses and defaults to. */
class BybitVenueTest {
  private final BybitVenue venue = new BybitVenue();

  private FeedSettings delta(MarketType market, String depth, long intervalMs) {
    FeedSettings defaults = venue.defaults(market, DataType.ORDERBOOK_DELTA);
    return new FeedSettings(
        DataType.ORDERBOOK_DELTA,
        true,
        defaults.url(),
        intervalMs,
        0,
        null,
        0,
        null,
        SymbolSelection.of(List.of("BTCUSDT")),
        depth == null ? Map.of() : Map.of("depth", depth));
  }

  @Test
  void defaultsAreBybitsProductionEndpoints() {
    assertThat(venue.defaults(MarketType.SPOT, DataType.ORDERBOOK_DELTA).url())
        .isEqualTo(URI.create("wss://stream.bybit.com/v5/public/spot"));
    assertThat(venue.defaults(MarketType.FUTURE, DataType.FUNDING_RATE).url())
        .isEqualTo(URI.create("wss://stream.bybit.com/v5/public/linear"));
    assertThat(venue.defaults(MarketType.FUTURE, DataType.CONTRACTS).url())
        .isEqualTo(URI.create("https://api.bybit.com/v5/market/instruments-info"));
  }

  @Test
  void spotOffersNoLiquidationsOpenInterestOrFunding() {
    assertThat(venue.dataTypes(MarketType.SPOT))
        .containsExactlyInAnyOrder(
            DataType.ORDERBOOK_SNAPSHOT,
            DataType.ORDERBOOK_DELTA,
            DataType.CONTRACTS,
            DataType.TRADES);
    assertThat(venue.unsupportedReason(MarketType.SPOT, DataType.LIQUIDATION))
        .isEqualTo("Bybit spot has no public liquidation feed");
  }

  @Test
  void aConfiguredRestHostMovesEveryRestEndpointWithBybitsPaths() {
    FeedSettings moved =
        venue.defaults(
            MarketType.FUTURE,
            DataType.CONTRACTS,
            List.of(URI.create("https://api-testnet.bybit.com/v5/market/orderbook")));
    assertThat(moved.url())
        .isEqualTo(URI.create("https://api-testnet.bybit.com/v5/market/instruments-info"));
  }

  @Test
  void aDepthBybitDoesNotOfferIsRefusedNamingTheDepthsItDoes() {
    assertThat(venue.check(MarketType.FUTURE, delta(MarketType.FUTURE, "500", 100)))
        .isEqualTo("depth 500 (expected one of 1, 50, 200, 1000: Bybit's book depths)");
  }

  @Test
  void anIntervalOtherThanTheDepthsPushSpeedIsRefused() {
    assertThat(venue.check(MarketType.SPOT, delta(MarketType.SPOT, "50", 100)))
        .isEqualTo(
            "interval_ms 100 (expected 20: Bybit pushes orderbook.50 every 20 ms; depth chooses"
                + " the speed)");
  }

  @Test
  void everyBybitDepthIsAcceptedWithTheDefaultInterval() {
    for (String depth : List.of("1", "50", "200", "1000")) {
      assertThat(venue.check(MarketType.FUTURE, delta(MarketType.FUTURE, depth, 100)))
          .as(depth)
          .isNull();
    }
  }

  @Test
  void aSpotSnapshotLimitAbove200IsRefused() {
    FeedSettings snapshots = venue.defaults(MarketType.SPOT, DataType.ORDERBOOK_SNAPSHOT);
    FeedSettings deep =
        new FeedSettings(
            snapshots.type(),
            true,
            snapshots.url(),
            1000,
            201,
            snapshots.snapshotSource(),
            0,
            null,
            SymbolSelection.of(List.of("BTCUSDT")));
    assertThat(venue.check(MarketType.SPOT, deep)).isEqualTo("limit 201 (expected 1 to 200)");
  }

  @Test
  void openInterestTakesAStreamOrARestUrlButNotAnother() {
    FeedSettings stream = venue.defaults(MarketType.FUTURE, DataType.OPEN_INTEREST);
    assertThat(venue.check(MarketType.FUTURE, stream)).isNull();
    assertThat(
            venue.check(
                MarketType.FUTURE,
                stream.withUrl(URI.create("https://api.bybit.com/v5/market/open-interest"))))
        .isNull();
    assertThat(venue.check(MarketType.FUTURE, stream.withUrl(URI.create("ftp://x/y"))))
        .isEqualTo(
            "url ftp://x/y (expected a wss:// URL for the tickers stream or an https:// URL for"
                + " REST)");
  }

  @Test
  void symbolsAreBybitsUpperCaseTextAndLowerCaseIsRefusedWithItsSpelling() {
    assertThat(venue.checkSymbol(MarketType.FUTURE, "BTC-26DEC25")).isNull();
    assertThat(venue.checkSymbol(MarketType.FUTURE, "BTCPERP")).isNull();
    assertThat(venue.checkSymbol(MarketType.SPOT, "btcusdt"))
        .endsWith("; Bybit symbols are upper case: write BTCUSDT");
    assertThat(venue.checkSymbol(MarketType.SPOT, "BTC/USDT"))
        .isEqualTo(
            "a Bybit symbol: up to 30 upper-case letters and digits, e.g. BTCUSDT (BTC-26DEC25 for"
                + " a dated future)");
  }

  @Test
  void theBookTopicNamesTheConfiguredDepth() {
    assertThat(BybitVenue.depth(delta(MarketType.SPOT, "1000", 200))).isEqualTo(1000);
    assertThat(BybitVenue.depth(delta(MarketType.SPOT, null, 200))).isEqualTo(200);
  }
}
