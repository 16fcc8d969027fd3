package dev.lake.core.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lake.core.TestCatalogs;
import dev.lake.core.TestRows;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.read.TableRows;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.table.TableOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeWriterTest {
  @TempDir Path warehouse;

  private LakeWriter writer(Catalog catalog) {
    return LakeWriter.builder(catalog)
        .writeAheadLog(warehouse.resolve("wal"))
        .commitInterval(Duration.ofSeconds(60))
        .build();
  }

  @Test
  void rowsOfEveryTableAreReadBackUnchanged() {
    Catalog catalog = TestCatalogs.sqlite(warehouse);
    List<LakeRow> rows = TestRows.oneOfEach();
    try (LakeWriter writer = writer(catalog)) {
      writer.append(rows);
      writer.flush();
    }
    for (LakeRow row : rows) {
      Table table = catalog.loadTable(TableIdentifier.of("crypto", row.tableName()));
      assertThat(TableRows.readAll(table)).as(row.tableName()).containsExactly(row);
    }
  }

  @Test
  void tablesHaveTheDeclaredFieldIds() {
    Catalog catalog = TestCatalogs.sqlite(warehouse);
    try (LakeWriter writer = writer(catalog)) {
      for (TableDefinition<?> definition : LakeTables.all()) {
        Table table = catalog.loadTable(TableIdentifier.of("crypto", definition.name()));
        assertThat(table.schema().asStruct())
            .as(definition.name())
            .isEqualTo(definition.schema().asStruct());
      }
    }
  }

  @Test
  void dataFilesFollowTheLayoutAndAreSnappyParquet() throws IOException {
    Catalog catalog = TestCatalogs.sqlite(warehouse);
    try (LakeWriter writer = writer(catalog)) {
      writer.append(TestRows.oneOfEach());
      writer.append(List.of(TestRows.delta("XBT/USD", 7, 0)));
      writer.flush();
    }
    String root = warehouse.toAbsolutePath() + "/crypto/";
    List<String> paths = new ArrayList<>();
    for (TableDefinition<?> definition : LakeTables.all()) {
      Table table = catalog.loadTable(TableIdentifier.of("crypto", definition.name()));
      try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
        for (FileScanTask task : tasks) {
          paths.add(task.file().location());
        }
      }
    }
    assertThat(paths).hasSize(LakeTables.all().size() + 1); // one file a table, and XBT/USD
    assertThat(paths)
        .allSatisfy(path -> assertThat(path).startsWith(root).endsWith(".snappy.parquet"))
        .anySatisfy(
            path ->
                assertThat(path)
                    .matches(
                        ".*/crypto/exchange=binance/market_type=spot/data_type=orderbook_delta/"
                            + "symbol=BTCUSDT/year=2025/month=08/day=05/hour=13/part-[^/]+"))
        .anySatisfy(
            path ->
                assertThat(path).contains("data_type=orderbook_delta/symbol=XBT%2FUSD/year=2025/"))
        .anySatisfy(
            path ->
                assertThat(path)
                    .matches(
                        ".*/crypto/exchange=binance/market_type=future/data_type=funding_rate/"
                            + "year=2025/month=08/day=05/part-[^/]+"));
    for (String path : paths) {
      try (ParquetFileReader reader =
          ParquetFileReader.open(
              HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(path), new Configuration()))) {
        for (BlockMetaData block : reader.getFooter().getBlocks()) {
          for (ColumnChunkMetaData column : block.getColumns()) {
            assertThat(column.getCodec()).isEqualTo(CompressionCodecName.SNAPPY);
          }
        }
      }
    }
    try (Stream<Path> files = Files.walk(warehouse)) {
      assertThat(files.map(Path::toString)).noneMatch(name -> name.endsWith(".crc"));
    }
  }

  @Test
  void duckDbReadsTheDataFilesAsTheyAre() throws Exception {
    Catalog catalog = TestCatalogs.sqlite(warehouse);
    List<OrderBookDelta> deltas = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      deltas.add(TestRows.delta(i % 2 == 0 ? "BTCUSDT" : "ETHUSDT", 1000 + i / 10, i % 10));
    }
    try (LakeWriter writer = writer(catalog)) {
      writer.append(deltas);
      writer.flush();
    }
    double expectedSum = deltas.stream().mapToDouble(d -> d.price() * d.quantity()).sum();
    String glob =
        warehouse.toAbsolutePath()
            + "/crypto/exchange=*/market_type=*/data_type=orderbook_delta/**/*.parquet";
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duck.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT count(*), sum(price * quantity), count(DISTINCT symbol),"
                    + " min(last_update_id), max(last_update_id)"
                    + " FROM read_parquet('"
                    + glob
                    + "', hive_partitioning = false)")) {
      assertThat(result.next()).isTrue();
      assertThat(result.getLong(1)).isEqualTo(10_000);
      assertThat(result.getDouble(2))
          .isCloseTo(expectedSum, org.assertj.core.data.Percentage.withPercentage(1e-9));
      assertThat(result.getLong(3)).isEqualTo(2);
      assertThat(result.getLong(4)).isEqualTo(1000);
      assertThat(result.getLong(5)).isEqualTo(1999);
    }
  }

  @Test
  void aBatchWithANullRowIsRejectedWhole() {
    Catalog catalog = TestCatalogs.sqlite(warehouse);
    try (LakeWriter writer = writer(catalog)) {
      List<LakeRow> rows = new ArrayList<>(TestRows.oneOfEach());
      rows.add(null);
      assertThatThrownBy(() -> writer.append(rows))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("rows[" + TestRows.oneOfEach().size() + "] is null");
      writer.flush();
      assertThat(writer.stats().totalRowsAppended()).isZero();
    }
    Table deltas = catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta"));
    assertThat(deltas.currentSnapshot()).isNull();
  }

  @Test
  void aRowWithAMissingRequiredFieldCannotBeMade() {
    assertThatThrownBy(
            () ->
                new OrderBookDelta(
                    "binance", null, "BTCUSDT", 1, 1, null, 1, 1, 0, 1, null, null, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid orderbook_delta row: market is missing");
    assertThatThrownBy(() -> TestRows.delta("", 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid orderbook_delta row: symbol is missing (expected non-empty text)");
  }

  @Test
  void eachFlushCommitsOneAppendPerTableWithTheWriterPosition() {
    Catalog catalog = TestCatalogs.sqlite(warehouse);
    String writerId;
    try (LakeWriter writer = writer(catalog)) {
      writerId = writer.writerId();
      writer.append(TestRows.oneOfEach());
      writer.append(TestRows.oneOfEach());
      writer.flush();
      writer.append(TestRows.oneOfEach());
      writer.flush();
    }
    for (TableDefinition<?> definition : LakeTables.all()) {
      Table table = catalog.loadTable(TableIdentifier.of("crypto", definition.name()));
      List<org.apache.iceberg.Snapshot> snapshots = new ArrayList<>();
      table.snapshots().forEach(snapshots::add);
      assertThat(snapshots).as(definition.name()).hasSize(2);
      org.apache.iceberg.Snapshot last = table.currentSnapshot();
      assertThat(last.summary()).containsEntry(CommitPositions.WRITER_ID, writerId);
      long position = Long.parseLong(last.summary().get(CommitPositions.POSITION));
      assertThat(table.properties())
          .containsEntry(CommitPositions.property(writerId), Long.toString(position));
      assertThat(TableRows.readAll(table)).hasSize(3);
      List<DataFile> files = new ArrayList<>();
      last.addedDataFiles(table.io()).forEach(files::add);
      assertThat(files).hasSize(1);
    }
  }

  @Test
  void theIcebergLayoutKeepsFilesUnderTheTableLocation() {
    Catalog catalog = TestCatalogs.sqlite(warehouse);
    try (LakeWriter writer =
        LakeWriter.builder(catalog)
            .tableOptions(
                TableOptions.builder().layout(dev.lake.core.table.FileLayout.ICEBERG).build())
            .withoutWriteAheadLog()
            .build()) {
      writer.append(List.of(TestRows.delta("XBT/USD", 7, 0)));
      writer.flush();
    }
    Table table = catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta"));
    assertThat(table.properties()).doesNotContainKey("write.location-provider.impl");
    List<DataFile> files = new ArrayList<>();
    table.currentSnapshot().addedDataFiles(table.io()).forEach(files::add);
    assertThat(files)
        .singleElement()
        .satisfies(
            file ->
                assertThat(file.location())
                    .startsWith(
                        table.location()
                            + "/data/exchange=binance/market=spot/symbol=XBT%2FUSD/timestamp_hour=2025-08-05-13/"));
    assertThat(TableRows.readAll(table)).containsExactly(TestRows.delta("XBT/USD", 7, 0));
  }
}
