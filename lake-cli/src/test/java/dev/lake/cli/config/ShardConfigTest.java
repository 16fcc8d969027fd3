package dev.lake.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lake.exchanges.DataType;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.Shard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The top-level {@code shard} block: parsing, checks, and what it leaves of the source. */
class ShardConfigTest {
  private static final String REST_SINK =
      "sink:\n  catalog: {type: rest, uri: 'http://catalog:8181'}\n";

  // binance spot: BTCUSDT and TRXUSDT fall to shard 0 of 3, ETHUSDT to 1, BNBUSDT to 2
  private static final String SOURCE =
      """
      source:
        binance:
          spot:
            orderbook:
              delta: {symbols: [BTCUSDT, ETHUSDT, BNBUSDT, TRXUSDT]}
            trades: {symbols: all}
            contracts: {}
      """;

  @TempDir Path folder;

  private LakeConfig load(String yaml) throws IOException {
    Path file = folder.resolve("lake.yml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(file, Map.of());
  }

  private void assertFails(String yaml, String message) {
    assertThatThrownBy(() -> load(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message + " in " + folder.resolve("lake.yml"));
  }

  private static MarketSettings spot(LakeConfig config) {
    return config.source().markets().get(0);
  }

  @Test
  void withoutAShardBlockEveryListedSymbolIsCollected() throws IOException {
    LakeConfig config = load(SOURCE + REST_SINK);

    assertThat(config.shard()).isNull();
    assertThat(spot(config).enabled(DataType.ORDERBOOK_DELTA).symbols().symbols())
        .containsExactly("BTCUSDT", "ETHUSDT", "BNBUSDT", "TRXUSDT");
  }

  @Test
  void aShardKeepsTheListedSymbolsThatHashToIt() throws IOException {
    LakeConfig config = load(SOURCE + REST_SINK + "shard: {index: 0, of: 3}\n");

    assertThat(config.shard()).isEqualTo(new Shard(0, 3));
    assertThat(spot(config).enabled(DataType.ORDERBOOK_DELTA).symbols().symbols())
        .containsExactly("BTCUSDT", "TRXUSDT");
  }

  @Test
  void symbolsAllCarriesTheShardToWhereItIsResolved() throws IOException {
    LakeConfig config = load(SOURCE + REST_SINK + "shard: {index: 2, of: 3}\n");

    assertThat(spot(config).enabled(DataType.TRADES).symbols().shard())
        .isEqualTo(
            new dev.lake.exchanges.SymbolSelection.ShardFilter(
                new Shard(2, 3), "binance", dev.lake.core.model.MarketType.SPOT));
  }

  @Test
  void onlyShardZeroCollectsTheMarketWideFeeds() throws IOException {
    LakeConfig first = load(SOURCE + REST_SINK + "shard: {index: 0, of: 3}\n");
    LakeConfig second = load(SOURCE + REST_SINK + "shard: {index: 1, of: 3}\n");

    assertThat(spot(first).enabled(DataType.CONTRACTS)).isNotNull();
    assertThat(spot(second).enabled(DataType.CONTRACTS)).isNull();
  }

  @Test
  void aFeedLeftWithoutSymbolsIsDropped() throws IOException {
    LakeConfig config =
        load(
            "source:\n  binance:\n    spot:\n      orderbook:\n        delta: {symbols: [ETHUSDT]}\n"
                + "      trades: {symbols: [BNBUSDT]}\n"
                + REST_SINK
                + "shard: {index: 2, of: 3}\n");

    assertThat(spot(config).enabled(DataType.ORDERBOOK_DELTA)).isNull();
    assertThat(spot(config).enabled(DataType.TRADES)).isNotNull();
  }

  @Test
  void aShardWithNothingToCollectSaysSoWhenIngestAsks() throws IOException {
    LakeConfig config =
        load(
            "source:\n  binance:\n    spot:\n      orderbook:\n        delta: {symbols: [ETHUSDT]}\n"
                + REST_SINK
                + "shard: {index: 2, of: 3}\n");

    assertThatThrownBy(config::requireFeeds)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "nothing to collect in shard 2 of 3 (none of the listed symbols falls to this shard)");
  }

  @Test
  void anIndexOutsideTheShardCountIsRefusedNamingTheRange() {
    assertFails(
        SOURCE + REST_SINK + "shard: {index: 3, of: 3}\n",
        "Invalid config value at shard.index: \"3\" (expected 0 to 2 for of: 3; shards are counted"
            + " from 0)");
  }

  @Test
  void aMissingIndexIsRefused() {
    assertFails(
        SOURCE + REST_SINK + "shard: {of: 3}\n",
        "Missing config value at shard.index (expected this process's shard, 0 to 2)");
  }

  @Test
  void aShardCountBelowOneIsRefused() {
    assertFails(
        SOURCE + REST_SINK + "shard: {index: 0, of: 0}\n",
        "Invalid config value at shard.of: \"0\" (expected a number of lake ingest processes"
            + " sharing the books from 1 to 10000)");
  }

  @Test
  void anUnknownShardKeyIsRefused() {
    assertThatThrownBy(() -> load(SOURCE + REST_SINK + "shard: {index: 0, of: 3, count: 3}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("shard.count");
  }

  @Test
  void aShardedConfigOnTheEmbeddedSqliteCatalogIsRefused() {
    assertFails(
        SOURCE + "shard: {index: 0, of: 3}\n",
        "Invalid config: shard splits the books among lake ingest processes on several machines,"
            + " which an embedded SQLite catalog (sink.catalog.type: jdbc) cannot serve (expected"
            + " sink.catalog.type: rest or glue, or a JDBC catalog on a database server; or no"
            + " shard block for one process)");
  }

  @Test
  void configValidateDescribesTheShare() throws IOException {
    Path file = folder.resolve("lake.yml");
    Files.writeString(file, SOURCE + REST_SINK + "shard: {index: 1, of: 3}\n");

    dev.lake.cli.CliRun run =
        dev.lake.cli.CliRun.run(folder, "config", "validate", "--config", file.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "Shard      1 of 3: the books (orderbook, trades) whose CRC-32 of"
                + " exchange|market|symbol modulo 3 is 1; contracts, liquidation, open_interest,"
                + " funding_rate are shard 0's")
        .contains("(each after a random wait of up to 6000 ms)")
        .contains("trades <- ")
        .contains("for all symbols of shard 1 of 3")
        .contains("orderbook.delta <- ")
        .contains("for ETHUSDT");
  }
}
