package dev.lake.exchanges.coinbase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.model.MarketType;
import dev.lake.core.model.SnapshotSource;
import dev.lake.exchanges.DataType;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.SymbolSelection;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** What the Coinbase venue declares: markets, feeds, credentials, symbols, checked settings. */
class CoinbaseVenueTest {
  private final CoinbaseVenue venue = new CoinbaseVenue();

  @Test
  void intxNeedsCredentialsAndSpotDoesNot() {
    assertThat(venue.needsCredentials(MarketType.FUTURE)).isTrue();
    assertThat(venue.needsCredentials(MarketType.SPOT)).isFalse();
  }

  @Test
  void neitherMarketOffersLiquidations() {
    assertThat(venue.dataTypes(MarketType.SPOT)).doesNotContain(DataType.LIQUIDATION);
    assertThat(venue.dataTypes(MarketType.FUTURE))
        .doesNotContain(DataType.LIQUIDATION)
        .contains(DataType.OPEN_INTEREST, DataType.FUNDING_RATE, DataType.TRADES);
    assertThat(venue.unsupportedReason(MarketType.FUTURE, DataType.LIQUIDATION))
        .isEqualTo("Coinbase publishes no liquidations (neither Advanced Trade nor INTX)");
  }

  @Test
  void aLowerCaseProductIsRefusedWithItsUpperCaseSpelling() {
    assertThat(venue.checkSymbol(MarketType.SPOT, "BTC-USD")).isNull();
    assertThat(venue.checkSymbol(MarketType.SPOT, "btc-usd"))
        .isEqualTo(
            "a Coinbase product id: BASE-QUOTE in upper case, e.g. BTC-USD; Coinbase product ids"
                + " are upper case: write BTC-USD");
  }

  @Test
  void anIntxSymbolMustBeAPerpetual() {
    assertThat(venue.checkSymbol(MarketType.FUTURE, "BTC-PERP")).isNull();
    assertThat(venue.checkSymbol(MarketType.FUTURE, "BTC-USD"))
        .isEqualTo("a Coinbase INTX perpetual: BASE-PERP in upper case, e.g. BTC-PERP");
  }

  @Test
  void intxSnapshotsFromRestAreRefusedNamingBook() {
    FeedSettings rest =
        new FeedSettings(
            DataType.ORDERBOOK_SNAPSHOT,
            true,
            URI.create("https://api.international.coinbase.com/api/v1/instruments"),
            1000,
            100,
            SnapshotSource.REST,
            0,
            null,
            SymbolSelection.none());

    assertThat(venue.check(MarketType.FUTURE, rest))
        .isEqualTo(
            "source rest (expected book: INTX has no public REST order book, snapshots come from"
                + " the validated local book)");
  }

  @Test
  void aSpotSnapshotLimitAboveAThousandIsRefused() {
    FeedSettings feed =
        venue
            .defaults(MarketType.SPOT, DataType.ORDERBOOK_SNAPSHOT)
            .withSymbols(SymbolSelection.none());
    FeedSettings tooDeep =
        new FeedSettings(
            feed.type(),
            true,
            feed.url(),
            1000,
            1001,
            SnapshotSource.REST,
            0,
            null,
            SymbolSelection.none());

    assertThat(venue.check(MarketType.SPOT, tooDeep)).isEqualTo("limit 1001 (expected 1 to 1000)");
  }
}
