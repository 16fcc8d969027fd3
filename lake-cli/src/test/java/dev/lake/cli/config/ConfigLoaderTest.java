package dev.lake.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lake.catalog.CatalogType;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.SnapshotSource;
import dev.lake.core.table.FileLayout;
import dev.lake.core.table.PartitionGranularity;
import dev.lake.core.write.WalFullPolicy;
import dev.lake.exchanges.DataType;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.MarketSettings;
import dev.lake.kafka.KafkaOutput;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path folder;

  private LakeConfig load(String yaml) throws IOException {
    return load(yaml, Map.of());
  }

  private LakeConfig load(String yaml, Map<String, String> environment) throws IOException {
    Path file = folder.resolve("lake.yml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(file, environment);
  }

  private void assertFails(String yaml, String message) {
    assertThatThrownBy(() -> load(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message + " in " + folder.resolve("lake.yml"));
  }

  @Test
  void theDefaultsAreTheEmbeddedCatalogInTheWorkingFolder() {
    LakeConfig config = ConfigLoader.defaults(folder, Map.of());
    SinkConfig sink = config.sink();
    assertThat(sink.catalog().type()).isEqualTo(CatalogType.JDBC);
    assertThat(sink.catalog().uri()).isNull();
    assertThat(sink.catalog().warehouse()).isEqualTo(folder.resolve("warehouse").toString());
    assertThat(sink.dataRoot()).isNull();
    assertThat(sink.dataRoots()).isNull();
    assertThat(sink.layout()).isEqualTo(FileLayout.SEED);
    assertThat(sink.namespace()).isEqualTo("crypto");
    assertThat(sink.commitIntervalMs()).isEqualTo(60_000);
    assertThat(sink.bufferMaxBytes()).isEqualTo(256L << 20);
    assertThat(sink.walDirectory()).isEqualTo(folder.resolve("wal"));
    assertThat(sink.walFsyncMs()).isEqualTo(200);
    assertThat(sink.walMaxBytes()).isEqualTo(10L << 30);
    assertThat(sink.walFull()).isEqualTo(WalFullPolicy.BACKPRESSURE);
    assertThat(sink.shutdownTimeoutMs()).isEqualTo(30_000);
    assertThat(config.tables()).isEqualTo(new TablesConfig("snappy", 128L << 20, Map.of()));
    assertThat(config.source().markets()).isEmpty();
  }

  @Test
  void everySinkAndTablesKeyIsMapped() throws IOException {
    LakeConfig config =
        load(
            """
            sink:
              warehouse: s3://bucket/warehouse
              data_root: s3://crypto-lake/
              layout: iceberg
              namespace: markets
              catalog:
                type: rest
                uri: https://catalog.example/api
                name: prod
                properties: {s3.endpoint: http://minio:9000, s3.path-style-access: true}
              commit_interval_ms: 30000
              buffer_max_bytes: 64MiB
              wal_dir: ./log
              wal_fsync_ms: 0
              wal_max_bytes: 2GiB
              wal_full: drop
              shutdown_timeout_ms: 5000
            tables:
              compression: zstd
              target_file_size_bytes: 268435456
              funding_rate: {partition: hour}
              orderbook_delta: {partition: day}
            """);
    SinkConfig sink = config.sink();
    assertThat(sink.catalog().type()).isEqualTo(CatalogType.REST);
    assertThat(sink.catalog().uri()).isEqualTo("https://catalog.example/api");
    assertThat(sink.catalog().name()).isEqualTo("prod");
    assertThat(sink.catalog().warehouse()).isEqualTo("s3://bucket/warehouse");
    assertThat(sink.catalog().properties())
        .isEqualTo(Map.of("s3.endpoint", "http://minio:9000", "s3.path-style-access", "true"));
    assertThat(sink.dataRoot()).isEqualTo("s3://crypto-lake/");
    assertThat(sink.layout()).isEqualTo(FileLayout.ICEBERG);
    assertThat(sink.namespace()).isEqualTo("markets");
    assertThat(sink.commitIntervalMs()).isEqualTo(30_000);
    assertThat(sink.bufferMaxBytes()).isEqualTo(64L << 20);
    assertThat(sink.walDirectory()).isEqualTo(folder.resolve("log"));
    assertThat(sink.walFsyncMs()).isZero();
    assertThat(sink.walMaxBytes()).isEqualTo(2L << 30);
    assertThat(sink.walFull()).isEqualTo(WalFullPolicy.DROP);
    assertThat(sink.shutdownTimeoutMs()).isEqualTo(5000);
    assertThat(config.tables().compression()).isEqualTo("zstd");
    assertThat(config.tables().targetFileSizeBytes()).isEqualTo(268435456L);
    assertThat(config.tables().granularity())
        .isEqualTo(
            Map.of(
                "funding_rate",
                PartitionGranularity.HOUR,
                "orderbook_delta",
                PartitionGranularity.DAY));
    assertThat(config.tableOptions().granularity(dev.lake.core.table.LakeTables.FUNDING_RATE))
        .isEqualTo(PartitionGranularity.HOUR);
  }

  @Test
  void dataRootsPerExchangeAndMarketReachTheTableOptions() throws IOException {
    LakeConfig config =
        load(
            """
            sink:
              warehouse: s3://lake-euw1/warehouse
              data_roots: {binance: "s3://lake-apne1/", coinbase.future: "s3://lake-use1/intx"}
            """);

    assertThat(config.tableOptions().dataRoots())
        .isEqualTo(Map.of("binance", "s3://lake-apne1/", "coinbase.future", "s3://lake-use1/intx"));
  }

  @Test
  void relativeLocalDataRootsAreResolvedAgainstTheConfigFolder() throws IOException {
    LakeConfig config = load("sink:\n  data_roots: {kraken: ./kraken-data}\n");

    assertThat(config.sink().dataRoots())
        .isEqualTo(Map.of("kraken", folder.resolve("kraken-data").toString()));
  }

  @Test
  void aDataRootKeyThatIsNoVenueIsRefusedNamingTheSixVenues() {
    assertFails(
        "sink:\n  data_roots: {bitmex: s3://lake-x/}\n",
        "Unknown config key sink.data_roots.bitmex (expected an exchange: binance, bybit, okx,"
            + " kucoin, coinbase, kraken; or an exchange and its market, e.g. binance.future)");
  }

  @Test
  void aDataRootOnOtherStorageThanTheWarehouseIsRefused() {
    assertFails(
        "sink:\n  warehouse: s3://lake/wh\n  data_roots: {okx: gs://lake-asia/}\n",
        "Invalid config value at sink.data_roots.okx: \"gs://lake-asia/\" (expected a location on"
            + " s3:// like s3://lake/wh: every data file goes through the warehouse's FileIO)");
  }

  @Test
  void dataRootsWithIcebergsLayoutAreRefused() {
    assertFails(
        "sink:\n  layout: iceberg\n  data_roots: {okx: ./okx}\n",
        "Invalid config value at sink.layout: \"iceberg\" (expected seed: sink.data_roots places"
            + " files in lake's layout)");
  }

  @Test
  void theSourceBlockKeepsTheSeedShapeAndFillsVenueDefaults() throws IOException {
    LakeConfig config =
        load(
            """
            source:
              binance:
                spot:
                  orderbook:
                    snapshots: {enabled: true, url: https://api.binance.com/api/v3/depth, interval_ms: 1000, limit: 100, source: rest, symbols: [BTCUSDT, ETHUSDT]}
                    delta: {enabled: true, url: wss://stream.binance.com:9443/ws, interval_ms: 100, snapshot_limit: 1000, symbols: [BTCUSDT, ETHUSDT]}
                  contracts: {enabled: true, url: https://api.binance.com/api/v3/exchangeInfo, interval_ms: 3600000}
                future:
                  symbols: all
                  quote_assets: [usdt]
                  max_symbols: 50
                  orderbook:
                    snapshots: {source: book, interval_ms: 1000, limit: 20}
                    delta: {}
                  liquidation: {}
                  open_interest: {interval_ms: 5000, symbols: [BTCUSDT]}
                  funding_rate: {enabled: false}
            """);
    List<MarketSettings> markets = config.source().markets();
    assertThat(markets)
        .extracting(MarketSettings::market)
        .containsExactly(MarketType.SPOT, MarketType.FUTURE);
    FeedSettings spotDelta = markets.get(0).enabled(DataType.ORDERBOOK_DELTA);
    assertThat(spotDelta.url()).isEqualTo(URI.create("wss://stream.binance.com:9443/ws"));
    assertThat(spotDelta.intervalMs()).isEqualTo(100);
    assertThat(spotDelta.snapshotLimit()).isEqualTo(1000);
    assertThat(spotDelta.snapshotUrl())
        .isEqualTo(URI.create("https://api.binance.com/api/v3/depth"));
    assertThat(spotDelta.symbols().symbols()).containsExactly("BTCUSDT", "ETHUSDT");
    assertThat(markets.get(0).enabled(DataType.CONTRACTS).intervalMs()).isEqualTo(3_600_000);

    MarketSettings future = markets.get(1);
    FeedSettings snapshots = future.enabled(DataType.ORDERBOOK_SNAPSHOT);
    assertThat(snapshots.snapshotSource()).isEqualTo(SnapshotSource.BOOK);
    assertThat(snapshots.limit()).isEqualTo(20);
    assertThat(snapshots.url()).isEqualTo(URI.create("https://fapi.binance.com/fapi/v1/depth"));
    assertThat(snapshots.symbols().all()).isTrue();
    assertThat(snapshots.symbols().quoteAssets()).containsExactly("USDT");
    assertThat(snapshots.symbols().maxSymbols()).isEqualTo(50);
    assertThat(future.enabled(DataType.ORDERBOOK_DELTA).url())
        .isEqualTo(URI.create("wss://fstream.binance.com/public/ws"));
    assertThat(future.enabled(DataType.LIQUIDATION).url())
        .isEqualTo(URI.create("wss://fstream.binance.com/market/ws"));
    assertThat(future.enabled(DataType.OPEN_INTEREST).symbols().symbols())
        .containsExactly("BTCUSDT");
    assertThat(future.enabled(DataType.OPEN_INTEREST).intervalMs()).isEqualTo(5000);
    assertThat(future.enabled(DataType.FUNDING_RATE)).isNull();
    assertThat(future.enabled(DataType.CONTRACTS)).isNull();
  }

  @Test
  void environmentVariablesAreInterpolated() throws IOException {
    LakeConfig config =
        load(
            "sink:\n  warehouse: ${LAKE_WAREHOUSE}\n  commit_interval_ms: ${COMMIT_MS:-5000}\n"
                + "  catalog: {properties: {s3.secret-access-key: \"${SECRET}\"}}\n",
            Map.of("LAKE_WAREHOUSE", "/data/lake", "SECRET", "s3cr3t"));
    assertThat(config.sink().catalog().warehouse()).isEqualTo("/data/lake");
    assertThat(config.sink().commitIntervalMs()).isEqualTo(5000);
    assertThat(config.sink().catalog().properties())
        .containsEntry("s3.secret-access-key", "s3cr3t");
    assertThat(config.sink().catalog().toString()).doesNotContain("s3cr3t");
  }

  @Test
  void aMissingEnvironmentVariableIsNamed() {
    assertFails(
        "sink:\n  warehouse: ${NOT_SET}/lake\n",
        "Invalid config value at sink.warehouse: environment variable NOT_SET is not set (expected it set, or a default as ${NOT_SET:-value})");
  }

  @Test
  void withoutASinkKafkaBlockThereIsNoKafkaOutput() throws IOException {
    assertThat(load("sink: {}\n").sink().kafka()).isNull();
  }

  @Test
  void everySinkKafkaKeyIsMappedAndThePrefixDefaultsToLakeDot() throws IOException {
    SinkConfig sink =
        load("""
                sink:
                  kafka:
                    bootstrap_servers: kafka-1:9092,kafka-2:9092
                    topic_prefix: md.
                    properties: {security.protocol: SASL_SSL, sasl.mechanism: PLAIN}
                """)
            .sink();
    assertThat(sink.kafka())
        .isEqualTo(
            new KafkaOutput(
                "kafka-1:9092,kafka-2:9092",
                "md.",
                Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN")));
    assertThat(load("sink: {kafka: {bootstrap_servers: 'k:9092'}}\n").sink().kafka().topicPrefix())
        .isEqualTo("lake.");
  }

  @Test
  void aKafkaBlockNeedsBootstrapServersAndRefusesTheSettingsLakeMakes() {
    assertFails(
        "sink:\n  kafka: {topic_prefix: x.}\n",
        "Missing config value at sink.kafka.bootstrap_servers (expected host:port[,host:port...])");
    assertFails(
        "sink:\n  kafka: {bootstrap_servers: 'k:9092', properties: {transactional.id: mine}}\n",
        "Invalid config at sink.kafka.properties.transactional.id: lake sets it for exactly-once"
            + " delivery (expected none of bootstrap.servers, transactional.id, enable.idempotence,"
            + " acks, key.serializer, value.serializer, isolation.level)");
  }

  @Test
  void unknownKeysAreErrorsWithTheNearestValidKey() {
    assertFails(
        "sink:\n  comit_interval_ms: 1000\n",
        "Unknown config key sink.comit_interval_ms (did you mean commit_interval_ms?)");
    assertFails("snk: {}\n", "Unknown config key snk (did you mean sink?)");
    assertFails(
        "source:\n  binanse: {}\n", "Unknown config key source.binanse (did you mean binance?)");
    assertFails(
        "source:\n  binance:\n    spot:\n      orderbook:\n        delta: {symbols: [BTCUSDT], snapshot_limt: 10}\n",
        "Unknown config key source.binance.spot.orderbook.delta.snapshot_limt (did you mean snapshot_limit?)");
  }

  @Test
  void badValuesNameThePathTheValueAndWhatWasExpected() {
    assertFails(
        "sink:\n  commit_interval_ms: soon\n",
        "Invalid config value at sink.commit_interval_ms: \"soon\" (expected milliseconds)");
    assertFails(
        "sink:\n  commit_interval_ms: 5\n",
        "Invalid config value at sink.commit_interval_ms: \"5\" (expected milliseconds from 100 to 86400000)");
    assertFails(
        "sink:\n  wal_full: block\n",
        "Invalid config value at sink.wal_full: \"block\" (expected backpressure or drop)");
    assertFails(
        "sink:\n  catalog: {type: hive}\n",
        "Invalid config value at sink.catalog.type: \"hive\" (expected jdbc, rest or glue)");
    assertFails(
        "sink:\n  catalog: {type: rest}\n",
        "Missing config value at sink.catalog.uri (expected the REST catalog's URL)");
    assertFails(
        "tables:\n  funding_rate: {partition: minute}\n",
        "Invalid config value at tables.funding_rate.partition: \"minute\" (expected hour or day)");
    assertFails(
        "sink:\n  buffer_max_bytes: lots\n",
        "Invalid config value at sink.buffer_max_bytes: \"lots\" (expected a size in bytes, e.g. 134217728 or 128MiB, of at least 1048576)");
    assertFails(
        "source:\n  binance:\n    spot:\n      liquidation: {symbols: [BTCUSDT]}\n",
        "Invalid config at source.binance.spot.liquidation: Binance spot has no public liquidation feed (expected one of orderbook.snapshots, orderbook.delta, contracts, trades)");
    assertFails(
        "source:\n  binance:\n    future:\n      orderbook:\n        snapshots: {symbols: [BTCUSDT], limit: 7}\n",
        "Invalid config at source.binance.future.orderbook.snapshots: limit 7 (expected one of 5, 10, 20, 50, 100, 500, 1000)");
    assertFails(
        "source:\n  binance:\n    spot:\n      orderbook:\n        delta: {}\n",
        "Missing config value at source.binance.spot.orderbook.delta.symbols (expected a list of symbols, e.g. [BTCUSDT, ETHUSDT], or all)");
    assertFails(
        "source:\n  binance:\n    spot:\n      orderbook:\n        delta: {symbols: [BTCUSDT], url: 'https://x.example/ws'}\n",
        "Invalid config at source.binance.spot.orderbook.delta: url https://x.example/ws (expected a ws:// or wss:// URL)");
  }

  @Test
  void invalidYamlNamesTheLine() {
    assertThatThrownBy(() -> load("sink:\n  warehouse: [unclosed\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Invalid YAML in " + folder.resolve("lake.yml") + " at line 3");
    assertThatThrownBy(() -> load("sink: {namespace: a}\nsink: {namespace: b}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("duplicate key sink");
  }

  @Test
  void yamlTagsThatMakeObjectsAreRefused() {
    assertThatThrownBy(
            () ->
                load(
                    "sink: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x\"]]]]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Invalid YAML in ");
  }

  @Test
  void topLevelKeysThatAreNotTextAreUnknownKeysNotCrashes() {
    assertFails(
        "1: x\n", "Unknown config key 1 (expected one of metrics, shard, sink, source, tables)");
    assertFails(
        "true: x\n",
        "Unknown config key true (expected one of metrics, shard, sink, source, tables)");
    assertFails(
        "null: x\n",
        "Unknown config key null (expected one of metrics, shard, sink, source, tables)");
    assertFails(
        "sink:\n  2: x\n", "Unknown config key sink.2 (expected one of " + sinkKeys() + ")");
  }

  @Test
  void anEmptyDefaultDoesNotMakeTheConfigFolderTheWarehouse() {
    assertFails(
        "sink:\n  warehouse: ${WAREHOUSE:-}\n",
        "Invalid config value at sink.warehouse: empty (${WAREHOUSE:-} gave an empty text)"
            + " (expected a folder or a URI; leave the key out for the default)");
    assertFails(
        "sink:\n  wal_dir: \"\"\n",
        "Invalid config value at sink.wal_dir: empty"
            + " (expected a local folder; leave the key out for the default)");
    assertFails(
        "sink:\n  catalog: {type: rest, uri: \"${CATALOG_URI:-}\"}\n",
        "Invalid config value at sink.catalog.uri: empty (${CATALOG_URI:-} gave an empty text)"
            + " (expected a JDBC URL or the REST catalog's URL; leave the key out for the"
            + " default)");
  }

  private static String sinkKeys() {
    return String.join(", ", new java.util.TreeSet<>(SinkConfig.KEYS));
  }

  @Test
  void aBadValueFromAVariableIsShownAsWrittenNotAsInterpolated() {
    assertThatThrownBy(
            () -> load("sink:\n  wal_fsync_ms: ${SECRET}\n", Map.of("SECRET", "hunter2")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config value at sink.wal_fsync_ms: \"${SECRET}\" (expected milliseconds) in "
                + folder.resolve("lake.yml"));
  }

  @Test
  void aBadListItemFromAVariableIsShownAsWrittenNotAsInterpolated() {
    assertThatThrownBy(
            () ->
                load(
                    "source:\n  binance:\n    spot:\n      orderbook:\n"
                        + "        delta: {symbols: [BTCUSDT, \"${SECRET}\"]}\n",
                    Map.of("SECRET", "hunter 2")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid config value at source.binance.spot.orderbook.delta.symbols[1]:"
                + " \"${SECRET}\" (expected a Binance symbol: up to 20 upper-case letters and"
                + " digits, e.g. BTCUSDT (BTCUSDT_250926 for a quarterly future)) in "
                + folder.resolve("lake.yml"));
  }

  @Test
  void endpointsAFeedDerivesFollowTheHostTheUserConfiguredForTheMarket() throws IOException {
    LakeConfig config =
        load(
            """
            source:
              binance:
                future:
                  symbols: [BTCUSDT]
                  orderbook:
                    snapshots: {url: "http://mirror.example:8080/fapi/v1/depth"}
                    delta: {url: "ws://mirror.example:9090/public/ws"}
                  contracts: {}
                  liquidation: {}
            """);
    MarketSettings future = config.source().markets().get(0);
    assertThat(future.enabled(DataType.ORDERBOOK_DELTA).snapshotUrl())
        .isEqualTo(URI.create("http://mirror.example:8080/fapi/v1/depth"));
    assertThat(future.enabled(DataType.CONTRACTS).url())
        .isEqualTo(URI.create("http://mirror.example:8080/fapi/v1/exchangeInfo"));
    assertThat(future.enabled(DataType.LIQUIDATION).url())
        .isEqualTo(URI.create("ws://mirror.example:9090/market/ws"));
  }

  @Test
  void anExplicitUrlWinsOverADerivedOne() throws IOException {
    LakeConfig config =
        load(
            """
            source:
              binance:
                spot:
                  orderbook:
                    snapshots: {url: "http://mirror.example/api/v3/depth", symbols: [BTCUSDT]}
                    delta: {snapshot_url: "https://api.binance.com/api/v3/depth", symbols: [BTCUSDT]}
            """);
    assertThat(config.source().markets().get(0).enabled(DataType.ORDERBOOK_DELTA).snapshotUrl())
        .isEqualTo(URI.create("https://api.binance.com/api/v3/depth"));
  }

  @Test
  void anUnknownVenueIsRefusedNamingEveryVenueLakeCollects() {
    assertThatThrownBy(() -> load("source:\n  deribit:\n    spot: {}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("source.deribit")
        .hasMessageContainingAll("binance", "bybit", "okx", "kucoin", "coinbase", "kraken");
  }
}
