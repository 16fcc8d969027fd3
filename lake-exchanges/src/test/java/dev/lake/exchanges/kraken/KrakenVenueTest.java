package dev.lake.exchanges.kraken;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.model.MarketType;
import dev.lake.core.model.SnapshotSource;
import dev.lake.exchanges.DataType;
import dev.lake.exchanges.FeedSettings;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What lake accepts of Kraken's settings and symbols, and its defaults. */
class KrakenVenueTest {
  private final KrakenVenue venue = new KrakenVenue();

  private FeedSettings delta(String depth) {
    FeedSettings defaults = venue.defaults(MarketType.SPOT, DataType.ORDERBOOK_DELTA);
    return new FeedSettings(
        DataType.ORDERBOOK_DELTA,
        true,
        defaults.url(),
        0,
        0,
        null,
        0,
        null,
        defaults.symbols(),
        Map.of(KrakenVenue.DEPTH, depth));
  }

  @Test
  void aBookDepthKrakenDoesNotOfferIsRefusedNamingTheDepthsItDoes() {
    assertThat(venue.check(MarketType.SPOT, delta("50")))
        .isEqualTo("depth 50 (expected one of 10, 25, 100, 500, 1000: Kraken's book depths)");
    assertThat(venue.check(MarketType.SPOT, delta("1000"))).isNull();
  }

  @Test
  void spotSnapshotsDefaultToTheLocalBookAndDeltasToKrakensV2Stream() {
    assertThat(venue.defaults(MarketType.SPOT, DataType.ORDERBOOK_SNAPSHOT).snapshotSource())
        .isEqualTo(SnapshotSource.BOOK);
    assertThat(venue.defaults(MarketType.SPOT, DataType.ORDERBOOK_DELTA).url())
        .isEqualTo(URI.create("wss://ws.kraken.com/v2"));
    assertThat(venue.defaults(MarketType.FUTURE, DataType.FUNDING_RATE).url())
        .isEqualTo(URI.create("wss://futures.kraken.com/ws/v1"));
  }

  @Test
  void aConfiguredRestHostMovesTheOtherRestEndpointsWithKrakensPaths() {
    FeedSettings contracts =
        venue.defaults(
            MarketType.SPOT,
            DataType.CONTRACTS,
            List.of(URI.create("http://127.0.0.1:9000/0/public/Depth")));

    assertThat(contracts.url()).isEqualTo(URI.create("http://127.0.0.1:9000/0/public/AssetPairs"));
  }

  @Test
  void symbolsAreV2PairsOnSpotAndProductIdsOnFuture() {
    assertThat(venue.checkSymbol(MarketType.SPOT, "BTC/USD")).isNull();
    assertThat(venue.checkSymbol(MarketType.SPOT, "XBT/USD"))
        .isEqualTo("a Kraken WebSocket v2 pair, which writes bitcoin as BTC: write BTC/USD");
    assertThat(venue.checkSymbol(MarketType.SPOT, "btc/usd"))
        .isEqualTo(
            "a Kraken WebSocket v2 pair: BASE/QUOTE in upper case, e.g. BTC/USD; Kraken symbols"
                + " are upper case: write BTC/USD");
    assertThat(venue.checkSymbol(MarketType.FUTURE, "PF_XBTUSD")).isNull();
    assertThat(venue.checkSymbol(MarketType.FUTURE, "BTCUSD"))
        .startsWith("a Kraken Futures product id in upper case");
  }
}
