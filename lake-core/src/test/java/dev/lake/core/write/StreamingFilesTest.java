package dev.lake.core.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lake.core.TestCatalogs;
import dev.lake.core.maintenance.Compaction;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.core.model.PriceLevel;
import dev.lake.core.model.SnapshotSource;
import dev.lake.core.read.TableRows;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableManager;
import dev.lake.core.table.TableOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming Parquet writer: column encodings as the table declares them, row groups written out
 * early when open files outgrow the buffer budget, and every row committed once whatever the memory
 * pressure.
 */
class StreamingFilesTest {
  private static final int SYMBOLS = 6;
  private static final int MESSAGES = 30_000;
  private static final int LEVELS = 10;

  @TempDir Path warehouse;

  /** Book messages of several symbols interleaved, prices and quantities as noisy as real ones. */
  private static List<List<LakeRow>> messages() {
    Random random = new Random(7);
    List<List<LakeRow>> messages = new ArrayList<>();
    long micros = 1_754_398_800_000_000L;
    for (int id = 0; id < MESSAGES; id++) {
      String symbol = "SYM" + (id % SYMBOLS);
      micros += random.nextInt(2000);
      List<LakeRow> rows = new ArrayList<>(LEVELS);
      for (int level = 0; level < LEVELS; level++) {
        rows.add(
            new OrderBookDelta(
                "binance",
                MarketType.SPOT,
                symbol,
                micros,
                id,
                level % 2 == 0 ? BookSide.BID : BookSide.ASK,
                60_000 + random.nextInt(5_000) * 0.01,
                random.nextInt(10_000_000) / 1e6,
                level,
                micros + 800 + random.nextInt(400),
                (long) id,
                null,
                false));
      }
      messages.add(rows);
    }
    return messages;
  }

  /**
   * Appends {@code rounds} messages of {@link #LEVELS} rows to each of {@code symbols} books, one
   * book after another, with an hour's commit interval and the given budget, then flushes; returns
   * the rows appended.
   */
  private static long appendRoundRobin(Catalog catalog, int symbols, int rounds, long budget)
      throws Exception {
    return appendRoundRobin(catalog, symbols, rounds, budget, false);
  }

  /**
   * @param awaitCommit wait, before the flush, for a commit made within the hour's interval: one
   *     the budget forced (otherwise the commit worker may take that generation and the flush's in
   *     one commit when it is slower than the appends)
   */
  private static long appendRoundRobin(
      Catalog catalog, int symbols, int rounds, long budget, boolean awaitCommit) throws Exception {
    long micros = 1_754_398_800_000_000L;
    long rows = 0;
    try (LakeWriter writer =
        LakeWriter.builder(catalog)
            .withoutWriteAheadLog()
            .commitInterval(Duration.ofHours(1))
            .bufferMaxBytes(budget)
            .build()) {
      for (int id = 0; id < rounds * symbols; id++) {
        List<LakeRow> message = new ArrayList<>(LEVELS);
        for (int level = 0; level < LEVELS; level++) {
          message.add(
              new OrderBookDelta(
                  "binance",
                  MarketType.SPOT,
                  "SYM" + (id % symbols),
                  micros + id,
                  id,
                  level % 2 == 0 ? BookSide.BID : BookSide.ASK,
                  60_000 + level * 0.01,
                  level + 1,
                  level,
                  micros + id + 500,
                  (long) id,
                  null,
                  false));
        }
        writer.append(message);
        rows += message.size();
      }
      if (awaitCommit) {
        await()
            .atMost(Duration.ofSeconds(60))
            .alias("a commit before the hour's interval ends")
            .until(() -> writer.stats().commits() > 0);
      }
      writer.flush();
    }
    return rows;
  }

  private static List<Path> dataFiles(Table table) throws Exception {
    List<Path> paths = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        paths.add(Path.of(task.file().location()));
      }
    }
    return paths;
  }

  private static ParquetFileReader open(Path path) throws Exception {
    return ParquetFileReader.open(
        HadoopInputFile.fromPath(
            new org.apache.hadoop.fs.Path(path.toString()), new Configuration()));
  }

  @Test
  void columnsAreEncodedAsTheTableDeclares() throws Exception {
    Catalog catalog = TestCatalogs.sqlite(warehouse);
    try (LakeWriter writer =
        LakeWriter.builder(catalog)
            .writeAheadLog(warehouse.resolve("wal"))
            .commitInterval(Duration.ofSeconds(60))
            .build()) {
      for (List<LakeRow> message : messages()) {
        writer.append(message);
      }
      writer.flush();
    }
    Table table = catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta"));
    List<Path> files = dataFiles(table);
    assertThat(files).hasSize(SYMBOLS);
    assertDeclaredEncodings(files);
  }

  private static void assertDeclaredEncodings(List<Path> files) throws Exception {
    Map<String, Set<Encoding>> encodings = new HashMap<>();
    for (Path file : files) {
      try (ParquetFileReader reader = open(file)) {
        for (BlockMetaData block : reader.getFooter().getBlocks()) {
          for (ColumnChunkMetaData column : block.getColumns()) {
            encodings
                .computeIfAbsent(column.getPath().toDotString(), name -> new HashSet<>())
                .addAll(column.getEncodings());
          }
        }
      }
    }
    for (String column : List.of("timestamp", "local_timestamp", "last_update_id", "level")) {
      assertThat(encodings.get(column)).as(column).contains(Encoding.DELTA_BINARY_PACKED);
    }
    assertThat(encodings.get("quantity"))
        .as("quantity")
        .contains(Encoding.PLAIN)
        .doesNotContain(Encoding.PLAIN_DICTIONARY, Encoding.RLE_DICTIONARY);
    for (String column : List.of("symbol", "side", "price")) {
      assertThat(encodings.get(column))
          .as(column)
          .containsAnyOf(Encoding.PLAIN_DICTIONARY, Encoding.RLE_DICTIONARY);
    }
  }

  @Test
  void aQuietPartitionsRowsWaitAsRowsAndAreCommittedAsOneRowGroup() throws Exception {
    // 400 partitions' open files would cost 400 x 128 KiB = 50 MiB before any data, over a 40 MiB
    // budget: each file was parked at every visit and committed with a row group per visit. Their
    // 300 rows each now wait as rows (19 MB) and are written once, at the commit
    int symbols = 400;
    Catalog catalog = TestCatalogs.sqlite(warehouse);
    long rows = appendRoundRobin(catalog, symbols, 30, 40L * 1024 * 1024);
    Table table = catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta"));
    List<Path> files = dataFiles(table);
    Map<Integer, Integer> filesByRowGroups = new HashMap<>();
    for (Path file : files) {
      try (ParquetFileReader reader = open(file)) {
        filesByRowGroups.merge(reader.getFooter().getBlocks().size(), 1, Integer::sum);
      }
    }

    assertThat(table.snapshots()).as("one commit: the flush").hasSize(1);
    assertThat(files).as("a file per partition").hasSize(symbols);
    assertThat(filesByRowGroups).as("files by their number of row groups").containsOnlyKeys(1);
    assertThat(TableRows.readAll(table)).hasSize((int) rows);
  }

  @Test
  void moreOpenFilesThanTheBudgetHoldsAreParkedInsteadOfCommittedEarly() throws Exception {
    // 400 partitions' 300 rows each hold about 19 MB as rows, over a 14 MiB budget, which once
    // made the writer commit every few thousand rows, a file per partition each time
    int symbols = 400;
    Catalog catalog = TestCatalogs.sqlite(warehouse);
    long rows = appendRoundRobin(catalog, symbols, 30, 14L * 1024 * 1024);
    Table table = catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta"));

    assertThat(table.snapshots()).as("one commit: the flush").hasSize(1);
    // the partitions holding the most rows write them out as a row group and are parked; the
    // metadata of parked files then fills the budget and the files holding most of it are
    // finished: a few files per partition, where early commits made one per partition and commit
    assertThat(dataFiles(table)).as("files").hasSizeBetween(symbols, 4 * symbols);
    assertThat(TableRows.readAll(table)).hasSize((int) rows);
  }

  @Test
  void filesParkedAgainAndAgainAreFinishedOnceTheirRowGroupsMetadataFillsTheBudget()
      throws Exception {
    // each visit of a partition unparks its file and the budget parks it again, adding a row group
    // whose metadata parquet-java keeps until the file ends: uncounted, 200 files x 30 row groups
    // held about 90 MiB against an 8 MiB budget
    int symbols = 200;
    int rounds = 30;
    Catalog catalog = TestCatalogs.sqlite(warehouse);
    long rows = appendRoundRobin(catalog, symbols, rounds, 8L * 1024 * 1024);
    Table table = catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta"));
    int mostRowGroups = 0;
    for (Path file : dataFiles(table)) {
      try (ParquetFileReader reader = open(file)) {
        mostRowGroups = Math.max(mostRowGroups, reader.getFooter().getBlocks().size());
      }
    }

    assertThat(table.snapshots()).as("one commit: the flush").hasSize(1);
    assertThat(mostRowGroups)
        .as("row groups of the file that kept the most (one per round if never finished)")
        .isLessThan(rounds / 2);
    assertThat(TableRows.readAll(table)).hasSize((int) rows);
  }

  @Test
  void filesFinishedToStayWithinTheBudgetCountAgainstItUntilTheyAreCommitted() throws Exception {
    // 600 partitions' files cannot stay open in 2 MiB, so most are finished at each size check;
    // each finished file's description (about 7 KiB) waits for the commit: uncounted, they piled up
    // until the flush, 4,460 of them here (at 2,500 books, 90 MB)
    Catalog catalog = TestCatalogs.sqlite(warehouse);
    long rows = appendRoundRobin(catalog, 600, 10, 2L * 1024 * 1024, true);
    Table table = catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta"));

    assertThat(table.snapshots())
        .as("commits made early because finished files filled the budget, then the flush")
        .hasSizeGreaterThan(1);
    assertThat(TableRows.readAll(table)).hasSize((int) rows);
  }

  @Test
  void overTheBufferBudgetRowGroupsAreWrittenOutAndEveryRowLandsOnce() throws Exception {
    Catalog catalog = TestCatalogs.sqlite(warehouse);
    List<List<LakeRow>> messages = messages();
    double expectedSum = 0;
    for (List<LakeRow> message : messages) {
      for (LakeRow row : message) {
        OrderBookDelta delta = (OrderBookDelta) row;
        expectedSum += delta.price() * delta.quantity();
      }
    }
    try (LakeWriter writer =
        LakeWriter.builder(catalog)
            .writeAheadLog(warehouse.resolve("wal"))
            .commitInterval(Duration.ofSeconds(60))
            .bufferMaxBytes(1024 * 1024)
            .build()) {
      for (List<LakeRow> message : messages) {
        writer.append(message);
        assertThat(writer.stats().bufferedBytes())
            .as("buffered estimate stays near the budget")
            .isLessThan(2L * 1024 * 1024);
      }
      writer.flush();
    }
    Table table = catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta"));
    int multiGroupFiles = 0;
    for (Path file : dataFiles(table)) {
      try (ParquetFileReader reader = open(file)) {
        if (reader.getFooter().getBlocks().size() > 1) {
          multiGroupFiles++;
        }
      }
    }
    assertThat(multiGroupFiles).as("files whose row groups were written out early").isPositive();

    Set<String> keys = new HashSet<>();
    for (LakeRow row : TableRows.readAll(table)) {
      OrderBookDelta delta = (OrderBookDelta) row;
      assertThat(keys.add(delta.lastUpdateId() + "/" + delta.level()))
          .as("row %s/%s once", delta.lastUpdateId(), delta.level())
          .isTrue();
    }
    assertThat(keys).hasSize(MESSAGES * LEVELS);

    String glob =
        warehouse.toAbsolutePath()
            + "/crypto/exchange=*/market_type=*/data_type=orderbook_delta/**/*.parquet";
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duck.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT count(*), sum(price * quantity), max(last_update_id) FROM read_parquet('"
                    + glob
                    + "', hive_partitioning = false)")) {
      assertThat(result.next()).isTrue();
      assertThat(result.getLong(1)).isEqualTo((long) MESSAGES * LEVELS);
      assertThat(result.getDouble(2))
          .isCloseTo(expectedSum, org.assertj.core.data.Percentage.withPercentage(1e-9));
      assertThat(result.getLong(3)).isEqualTo(MESSAGES - 1);
    }
  }

  /**
   * Files are parked (their row group written out) and reopened when the budget is tight: every
   * page's entry in the offset index (which Spark and Trino use to skip pages) must start at the
   * row the page really starts at, and each book's rows must keep the order they were appended in.
   */
  @Test
  void pageIndexesMatchThePagesAndRowsKeepTheirOrderThroughParking() throws Exception {
    Catalog catalog = TestCatalogs.sqlite(warehouse);
    try (LakeWriter writer =
        LakeWriter.builder(catalog)
            .withoutWriteAheadLog()
            .commitInterval(Duration.ofHours(1))
            .bufferMaxBytes(1024 * 1024)
            .build()) {
      for (List<LakeRow> message : messages()) {
        writer.append(message);
      }
      writer.flush();
    }
    Table table = catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta"));
    List<Path> files = dataFiles(table);
    int pages = 0;
    for (Path file : files) {
      try (ParquetFileReader reader = open(file)) {
        List<ColumnDescriptor> descriptors =
            reader.getFooter().getFileMetaData().getSchema().getColumns();
        for (BlockMetaData block : reader.getFooter().getBlocks()) {
          List<OffsetIndex> indexes = new ArrayList<>();
          for (ColumnChunkMetaData column : block.getColumns()) {
            indexes.add(reader.readOffsetIndex(column));
          }
          PageReadStore group = reader.readNextRowGroup();
          for (int c = 0; c < block.getColumns().size(); c++) {
            ColumnDescriptor descriptor = descriptors.get(c);
            PageReader pageReader = group.getPageReader(descriptor);
            OffsetIndex index = indexes.get(c);
            long values = 0;
            for (int p = 0; p < index.getPageCount(); p++) {
              assertThat(index.getFirstRowIndex(p))
                  .as("%s: first row of page %d of %s", file.getFileName(), p, descriptor)
                  .isEqualTo(values);
              values += pageReader.readPage().getValueCount();
              pages++;
            }
            assertThat(values)
                .as("%s: rows in the pages of %s", file.getFileName(), descriptor)
                .isEqualTo(block.getRowCount());
          }
        }
      }
    }
    assertThat(pages).as("pages checked").isGreaterThan(100);

    long rows = 0;
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duck.createStatement()) {
      for (Path file : files) {
        Map<String, Long> lastKey = new HashMap<>();
        try (ResultSet result =
            statement.executeQuery(
                "SELECT symbol, last_update_id * "
                    + LEVELS
                    + " + level FROM read_parquet('"
                    + file
                    + "', file_row_number = true) ORDER BY file_row_number")) {
          while (result.next()) {
            long key = result.getLong(2);
            Long previous = lastKey.put(result.getString(1), key);
            if (previous != null) {
              assertThat(key)
                  .as("%s: %s after %s", file.getFileName(), key, previous)
                  .isGreaterThan(previous);
            }
            rows++;
          }
        }
      }
    }
    assertThat(rows).isEqualTo((long) MESSAGES * LEVELS);
  }

  @Test
  void compactedFilesKeepTheDeclaredEncodings() throws Exception {
    Catalog catalog = TestCatalogs.sqlite(warehouse);
    List<List<LakeRow>> messages = messages();
    try (LakeWriter writer =
        LakeWriter.builder(catalog)
            .writeAheadLog(warehouse.resolve("wal"))
            .commitInterval(Duration.ofSeconds(60))
            .build()) {
      for (int i = 0; i < messages.size(); i++) {
        writer.append(messages.get(i));
        if (i % 3000 == 2999) {
          writer.flush();
        }
      }
      writer.flush();
    }
    Table table = catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta"));
    assertThat(dataFiles(table)).hasSize(SYMBOLS * MESSAGES / 3000);
    Compaction.builder(new TableManager(catalog, TableOptions.defaults()))
        .tables(List.of(LakeTables.ORDERBOOK_DELTA))
        .includeCurrentPartitions()
        .build()
        .run();
    table.refresh();
    List<Path> compacted = dataFiles(table);
    assertThat(compacted).hasSize(SYMBOLS);
    assertDeclaredEncodings(compacted);
    assertThat(TableRows.readAll(table)).hasSize(MESSAGES * LEVELS);
  }

  @Test
  void compactingTheNestedSnapshotTableKeepsEveryRow() throws Exception {
    Catalog catalog = TestCatalogs.sqlite(warehouse);
    List<LakeRow> snapshots = new ArrayList<>();
    try (LakeWriter writer =
        LakeWriter.builder(catalog)
            .writeAheadLog(warehouse.resolve("wal"))
            .commitInterval(Duration.ofSeconds(60))
            .build()) {
      for (int commit = 0; commit < 5; commit++) {
        for (int i = 0; i < 20; i++) {
          long id = commit * 20L + i;
          OrderBookSnapshot snapshot =
              new OrderBookSnapshot(
                  "binance",
                  MarketType.FUTURE,
                  "BTCUSDT",
                  1_754_398_800_000L + id * 1000,
                  List.of(new PriceLevel(60_000 - id * 0.1, 1.5), new PriceLevel(59_999, 2)),
                  List.of(new PriceLevel(60_001 + id * 0.1, 0.25)),
                  1_754_398_800_000_000L + id * 1_000_000 + 500,
                  id,
                  SnapshotSource.BOOK);
          snapshots.add(snapshot);
          writer.append(List.of(snapshot));
        }
        writer.flush();
      }
    }
    Table table = catalog.loadTable(TableIdentifier.of("crypto", "orderbook_snapshot"));
    assertThat(dataFiles(table)).hasSize(5);
    Compaction.builder(new TableManager(catalog, TableOptions.defaults()))
        .tables(List.of(LakeTables.ORDERBOOK_SNAPSHOT))
        .includeCurrentPartitions()
        .build()
        .run();
    table.refresh();
    assertThat(dataFiles(table)).hasSize(1);
    assertThat(TableRows.readAll(table)).containsExactlyInAnyOrderElementsOf(snapshots);
  }
}
