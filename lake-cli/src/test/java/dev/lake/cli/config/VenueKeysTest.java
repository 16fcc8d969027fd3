package dev.lake.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lake.core.model.MarketType;
import dev.lake.exchanges.Connector;
import dev.lake.exchanges.ConnectorContext;
import dev.lake.exchanges.Credentials;
import dev.lake.exchanges.DataType;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.SymbolSelection;
import dev.lake.exchanges.Venue;
import dev.lake.exchanges.Venues;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What a venue declares of its configuration: its own feed keys, credentials, and that REST-only
 * keys exist only where the venue seeds books from REST. A test venue stands for the venues to come
 * (Bybit's depth, Coinbase INTX's credentials).
 */
class VenueKeysTest {
  /** A stream-seeded venue with a choice of depths and signed subscriptions. */
  private static final class TestVenue implements Venue {
    @Override
    public String name() {
      return "testvenue";
    }

    @Override
    public Set<MarketType> markets() {
      return EnumSet.of(MarketType.FUTURE);
    }

    @Override
    public Set<DataType> dataTypes(MarketType market) {
      return EnumSet.of(DataType.ORDERBOOK_DELTA);
    }

    @Override
    public FeedSettings defaults(MarketType market, DataType type) {
      return new FeedSettings(
          type,
          true,
          URI.create("wss://stream.test/v1"),
          100,
          0,
          null,
          0,
          null,
          SymbolSelection.none());
    }

    @Override
    public String check(MarketType market, FeedSettings feed) {
      String depth = feed.option("depth");
      return depth == null || List.of("1", "50", "200", "1000").contains(depth)
          ? null
          : "depth " + depth + " (expected 1, 50, 200 or 1000)";
    }

    @Override
    public String checkSymbol(MarketType market, String symbol) {
      return null;
    }

    @Override
    public List<String> extraFeedKeys(MarketType market, DataType type) {
      return type == DataType.ORDERBOOK_DELTA ? List.of("depth") : List.of();
    }

    @Override
    public boolean needsCredentials(MarketType market) {
      return true;
    }

    @Override
    public Connector connector(MarketSettings settings, ConnectorContext context) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String unsupportedReason(MarketType market, DataType type) {
      return "not offered";
    }
  }

  private static SourceConfig parse(String yaml, Map<String, String> environment) {
    Map<?, ?> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    ConfigNode root =
        ConfigNode.root(document, new ConfigContext(null, Path.of("/tmp"), environment));
    List<Venue> venues = new ArrayList<>(Venues.all());
    venues.add(new TestVenue());
    return SourceConfig.parse(root.child("source"), venues);
  }

  @Test
  void aVenueOwnKeysReachItsFeedAndItsCheckNamesItsOwnValues() {
    SourceConfig config =
        parse(
            """
            source:
              testvenue:
                future:
                  credentials: {key: "${KEY}", secret: "${SECRET}"}
                  orderbook: {delta: {depth: 200, symbols: [BTC-PERP]}}
            """,
            Map.of("KEY", "k1", "SECRET", "s3cr3t"));
    MarketSettings market = config.markets().get(0);
    assertThat(market.enabled(DataType.ORDERBOOK_DELTA).option("depth")).isEqualTo("200");
    assertThat(market.credentials()).isEqualTo(new Credentials("k1", "s3cr3t", null));
    assertThat(market.credentials().toString()).doesNotContain("k1").doesNotContain("s3cr3t");
    assertThat(market.toString()).doesNotContain("s3cr3t");

    assertThatThrownBy(
            () ->
                parse(
                    """
                    source:
                      testvenue:
                        future:
                          credentials: {key: a, secret: b}
                          orderbook: {delta: {depth: 25, symbols: [BTC-PERP]}}
                    """,
                    Map.of()))
        .hasMessage(
            "Invalid config at source.testvenue.future.orderbook.delta: depth 25 (expected 1,"
                + " 50, 200 or 1000)");
  }

  @Test
  void restSeedKeysAndMissingCredentialsAreRefusedWhereTheVenueHasNoUseForThem() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    source:
                      testvenue:
                        future:
                          credentials: {key: a, secret: b}
                          orderbook: {delta: {snapshot_url: "http://x/depth", symbols: [A]}}
                    """,
                    Map.of()))
        .hasMessageStartingWith(
            "Unknown config key source.testvenue.future.orderbook.delta.snapshot_url")
        .hasMessageContaining("depth");
    assertThatThrownBy(
            () ->
                parse(
                    """
                    source:
                      testvenue:
                        future:
                          orderbook: {delta: {symbols: [A]}}
                    """,
                    Map.of()))
        .hasMessage(
            "Missing config value at source.testvenue.future.credentials.key (expected the API"
                + " key, e.g. ${TESTVENUE_API_KEY})");
  }

  @Test
  void kucoinSpotTakesOptionalCredentialsFromTheEnvironment() {
    String yaml =
        """
        source:
          kucoin:
            spot:
              %s
              orderbook: {delta: {symbols: [BTC-USDT]}}
        """;
    SourceConfig signed =
        parse(
            yaml.formatted(
                "credentials: {key: \"${KUCOIN_API_KEY}\", secret: \"${KUCOIN_API_SECRET}\","
                    + " passphrase: \"${KUCOIN_API_PASSPHRASE}\"}"),
            Map.of("KUCOIN_API_KEY", "k", "KUCOIN_API_SECRET", "s", "KUCOIN_API_PASSPHRASE", "p"));
    SourceConfig unsigned = parse(yaml.formatted(""), Map.of());

    assertThat(signed.markets().get(0).credentials()).isEqualTo(new Credentials("k", "s", "p"));
    assertThat(unsigned.markets().get(0).credentials()).isNull();
  }

  @Test
  void credentialsUnderAMarketThatReadsOnlyPublicDataAreRefusedNamingWhereTheyGo() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    source:
                      kucoin:
                        future:
                          credentials: {key: k, secret: s, passphrase: p}
                          orderbook: {delta: {symbols: [XBTUSDTM]}}
                    """,
                    Map.of()))
        .hasMessage(
            "Invalid config at source.kucoin.future.credentials: kucoin future reads only public"
                + " data and signs nothing (expected credentials only under source.kucoin.spot)");
    assertThatThrownBy(
            () ->
                parse(
                    """
                    source:
                      binance:
                        spot:
                          credentials: {key: k, secret: s}
                          trades: {symbols: [BTCUSDT]}
                    """,
                    Map.of()))
        .hasMessage(
            "Invalid config at source.binance.spot.credentials: binance spot reads only public"
                + " data and signs nothing (expected no credentials for binance)");
  }
}
