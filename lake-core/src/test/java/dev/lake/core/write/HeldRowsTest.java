package dev.lake.core.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.TestCatalogs;
import dev.lake.core.TestRows;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.model.Trade;
import dev.lake.core.model.TradeSide;
import dev.lake.core.read.TableRows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A quiet partition's rows, held encoded until its file is written: they come back as they were
 * appended, and the buffer budget counts the bytes they take encoded.
 */
class HeldRowsTest {
  private static final long MICROS = TestRows.BASE_MS * 1000;

  @TempDir Path warehouse;

  /** Deltas of one book whose columns take every kind of value: nulls, both sides, big numbers. */
  private static List<LakeRow> deltas(int count) {
    Random random = new Random(11);
    List<LakeRow> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long id = 9_000_000_000L + i * 7L;
      rows.add(
          new OrderBookDelta(
              "binance",
              MarketType.FUTURE,
              // a symbol equal to the others but another instance, as a parser makes it
              new String("ETHUSDT"),
              MICROS + i * 1_000L,
              id,
              i % 3 == 0 ? BookSide.ASK : BookSide.BID,
              2_500 + random.nextInt(100_000) * 0.01,
              i % 17 == 0 ? 0.0 : random.nextDouble() * 1e6,
              i % 400,
              MICROS + i * 1_000L + random.nextInt(5_000) - 100,
              i % 5 == 0 ? null : id - 3,
              i % 2 == 0 ? null : id - 1,
              i % 250 == 0));
    }
    return rows;
  }

  /** Trades of one book, each with its own text id: more strings than a buffer references. */
  private static List<LakeRow> trades(int count) {
    List<LakeRow> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(
          new Trade(
              "binance",
              MarketType.SPOT,
              "BTCUSDT",
              i % 20 == 0 ? "t-é-" + i : Long.toString(5_233_456_789L + i),
              i % 2 == 0 ? TradeSide.BUY : TradeSide.SELL,
              60_000.15 + i,
              0.0021 * i,
              MICROS + i,
              MICROS + i + 900));
    }
    return rows;
  }

  /** Events whose optional columns are null in some rows and set in others. */
  private static List<LakeRow> events(int count) {
    List<LakeRow> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      boolean gap = i % 2 == 0;
      rows.add(
          new StreamEvent(
              "binance",
              "spot",
              "orderbook_delta",
              i % 3 == 0 ? null : "BTCUSDT",
              gap ? StreamEventType.GAP : StreamEventType.RESYNC,
              gap ? "U=" + (i + 5) + " after u=" + i : null,
              gap ? (long) i + 1 : null,
              gap ? (long) i + 4 : null,
              MICROS + i,
              MICROS + i + 3));
    }
    return rows;
  }

  @Test
  void aQuietPartitionsHeldRowsAreCommittedExactlyAsTheyWereAppended() throws Exception {
    // under PENDING_ROWS rows a partition: every row waits encoded until the flush writes its file
    List<LakeRow> deltas = deltas(900);
    List<LakeRow> trades = trades(500);
    List<LakeRow> events = events(300);
    Catalog catalog = TestCatalogs.sqlite(warehouse);
    try (LakeWriter writer =
        LakeWriter.builder(catalog)
            .writeAheadLog(warehouse.resolve("wal"))
            .commitInterval(Duration.ofHours(1))
            .build()) {
      for (List<LakeRow> rows : List.of(deltas, trades, events)) {
        for (LakeRow row : rows) {
          writer.append(List.of(row));
        }
      }
      writer.flush();
    }

    // Iceberg's generic reader, a file per table: rows in the file's order, every column compared
    assertThat(TableRows.readAll(table(catalog, "orderbook_delta")))
        .containsExactlyElementsOf(deltas);
    assertThat(TableRows.readAll(table(catalog, "trades"))).containsExactlyElementsOf(trades);
    assertThat(TableRows.readAll(table(catalog, "stream_events")))
        .containsExactlyElementsOf(events);
  }

  @Test
  void quietPartitionsHeldRowsCountAgainstTheBudgetAtTheSizeTheyTakeEncoded() throws Exception {
    // 100 books' 900 rows each take about 6.5 MB encoded, within the 10 MiB budget: no file is
    // parked, and each is written once, as one row group. Counted at 160 bytes a row they were
    // 14.4 MB, over the budget, and the largest were written out and parked as they grew
    int symbols = 100;
    int rounds = 90;
    int levels = 10;
    Catalog catalog = TestCatalogs.sqlite(warehouse);
    try (LakeWriter writer =
        LakeWriter.builder(catalog)
            .withoutWriteAheadLog()
            .commitInterval(Duration.ofHours(1))
            .bufferMaxBytes(10L * 1024 * 1024)
            .build()) {
      for (int id = 0; id < rounds * symbols; id++) {
        List<LakeRow> message = new ArrayList<>(levels);
        for (int level = 0; level < levels; level++) {
          message.add(TestRows.delta("SYM" + (id % symbols), id, level));
        }
        writer.append(message);
      }
      writer.flush();
    }
    Table table = table(catalog, "orderbook_delta");
    List<Integer> rowGroups = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        rowGroups.add(rowGroups(task.file().location()));
      }
    }

    assertThat(table.snapshots()).as("one commit: the flush").hasSize(1);
    assertThat(rowGroups).as("row groups of each file, a file per book").hasSize(symbols);
    assertThat(rowGroups).as("row groups of each file").containsOnly(1);
  }

  private static Table table(Catalog catalog, String name) {
    return catalog.loadTable(TableIdentifier.of("crypto", name));
  }

  private static int rowGroups(String location) throws Exception {
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(location), new Configuration()))) {
      return reader.getFooter().getBlocks().size();
    }
  }
}
