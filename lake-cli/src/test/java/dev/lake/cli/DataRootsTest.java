package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.catalog.LakeCatalogs;
import dev.lake.cli.config.ConfigLoader;
import dev.lake.cli.config.LakeConfig;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.read.TableRows;
import dev.lake.core.write.LakeWriter;
import dev.lake.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sink.data_roots}: the data files of each exchange under its own root (here an S3 bucket of
 * S3Proxy in this JVM), in one set of tables and one catalog, read back whole by Iceberg.
 */
class DataRootsTest {
  private static final long T0 = 1_764_374_400_000_000L; // 2025-11-29T00:00:00Z

  @TempDir static Path blobs;
  private static S3ProxyServer s3;
  private static int tests;

  @TempDir Path folder;
  private String apne1;
  private String use1;
  private String euw1;

  @BeforeAll
  static void startS3() {
    s3 = S3ProxyServer.start(blobs);
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  /** Buckets of this test's own: S3Proxy starts slowly, so the tests share one. */
  @BeforeEach
  void createBuckets() {
    tests++;
    apne1 = "lake-apne1-" + tests;
    use1 = "lake-use1-" + tests;
    euw1 = "lake-euw1-" + tests;
    for (String bucket : List.of(apne1, use1, euw1)) {
      s3.createBucket(bucket);
    }
  }

  private LakeConfig s3Config() throws IOException {
    Map<String, String> properties = new TreeMap<>(s3.catalogProperties());
    properties.put("s3.cross-region-access-enabled", "true");
    String yaml =
        """
        sink:
          warehouse: s3://%s/warehouse
          data_roots: {binance: "s3://%s/", coinbase: "s3://%s/"}
          wal_dir: ./wal
          catalog:
            type: jdbc
            uri: "jdbc:sqlite:%s"
            properties: {%s}
        """
            .formatted(
                euw1,
                apne1,
                use1,
                folder.resolve("catalog.db"),
                properties.entrySet().stream()
                    .map(entry -> "\"" + entry.getKey() + "\": \"" + entry.getValue() + "\"")
                    .collect(Collectors.joining(", ")));
    Path file = folder.resolve("lake.yml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(file, Map.of());
  }

  private static List<LakeRow> deltas() {
    List<LakeRow> rows = new ArrayList<>();
    String[][] books = {{"binance", "BTCUSDT"}, {"coinbase", "BTC-USD"}, {"okx", "BTC-USDT"}};
    for (String[] book : books) {
      for (int i = 0; i < 50; i++) {
        rows.add(
            new OrderBookDelta(
                book[0],
                MarketType.SPOT,
                book[1],
                T0 + i * 1_000_000L,
                100 + i,
                i % 2 == 0 ? BookSide.BID : BookSide.ASK,
                65000 + i,
                0.5,
                0,
                T0 + i * 1_000_000L + 500,
                null,
                null,
                i == 0));
      }
    }
    return rows;
  }

  private static Table deltaTable(Catalog catalog) {
    return catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta"));
  }

  private static List<String> dataFiles(Table table) throws IOException {
    List<String> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      tasks.forEach(task -> files.add(task.file().location()));
    }
    return files;
  }

  private Catalog writeDeltas() throws IOException {
    LakeConfig config = s3Config();
    Catalog catalog = LakeCatalogs.open(config.sink().catalog());
    try (LakeWriter writer = config.writer(catalog).build()) {
      writer.append(deltas());
      writer.flush();
    }
    return catalog;
  }

  @Test
  void eachExchangesFilesLandUnderItsOwnBucketAndTheOthersUnderTheWarehouse() throws Exception {
    Catalog catalog = writeDeltas();

    assertThat(dataFiles(deltaTable(catalog)))
        .hasSize(3)
        .anySatisfy(
            file ->
                assertThat(file)
                    .startsWith("s3://" + apne1 + "/exchange=binance/market_type=spot/"))
        .anySatisfy(
            file ->
                assertThat(file)
                    .startsWith("s3://" + use1 + "/exchange=coinbase/market_type=spot/"))
        .anySatisfy(
            file ->
                assertThat(file)
                    .startsWith(
                        "s3://" + euw1 + "/warehouse/crypto/exchange=okx/market_type=spot/"));
  }

  @Test
  void theBucketsHoldTheParquetFiles() throws Exception {
    writeDeltas();

    for (String bucket : List.of(apne1, use1)) {
      try (Stream<Path> files = Files.walk(blobs.resolve(bucket))) {
        assertThat(files.map(Path::toString).filter(name -> name.endsWith(".parquet")))
            .as(bucket)
            .hasSize(1);
      }
    }
  }

  @Test
  void theTableReadsBackWholeAcrossTheBuckets() throws Exception {
    writeDeltas();

    Catalog reader = LakeCatalogs.open(s3Config().sink().catalog());
    assertThat(TableRows.readAll(deltaTable(reader))).containsExactlyInAnyOrderElementsOf(deltas());
  }

  @Test
  void s3FileIoPropertiesForCrossRegionAccessReachTheTablesFileIo() throws Exception {
    Catalog catalog = writeDeltas();

    assertThat(deltaTable(catalog).io().properties())
        .containsEntry("s3.cross-region-access-enabled", "true");
  }

  @Test
  void tablesCreateSaysWhichDataRootChangedAndThatWrittenFilesStay() throws Exception {
    Files.writeString(folder.resolve("a.yml"), "sink:\n  data_roots: {binance: ./apne1}\n");
    Files.writeString(folder.resolve("b.yml"), "sink:\n  data_roots: {binance: ./tokyo}\n");
    assertThat(CliRun.run(folder, "tables", "create", "--config", "a.yml").exitCode()).isZero();

    CliRun run = CliRun.run(folder, "tables", "create", "--config", "b.yml");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "upgraded   crypto.orderbook_delta: data root of binance changed from "
                + folder.resolve("apne1")
                + " to "
                + folder.resolve("tokyo")
                + "\n")
        .contains(
            "Data files already written stay where they are; files written from now on go to the"
                + " new data roots.");
  }
}
