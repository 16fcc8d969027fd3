package dev.lake.core.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.TestCatalogs;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check compaction makes of the files it wrote before committing them: their footers, read back
 * from storage, against the metrics of the files they replace.
 */
class FooterCheckTest {
  /** 2025-08-05T13:00:00Z. */
  private static final long HOUR_13 = 1_754_398_800_000L;

  @TempDir Path folder;

  /** The table {@link #write} wrote last. */
  private Table table;

  /** Rows of one partition (one symbol, one hour), with a zero quantity among them. */
  private static List<LakeRow> rows(int count) {
    List<LakeRow> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long micros = (HOUR_13 + i * 1000L) * 1000;
      rows.add(
          new OrderBookDelta(
              "binance",
              MarketType.SPOT,
              "BTCUSDT",
              micros,
              i,
              i % 2 == 0 ? BookSide.BID : BookSide.ASK,
              100 + i * 0.01,
              i % 3 == 0 ? 0.0 : i,
              i % 5,
              micros + 5,
              null,
              null,
              false));
    }
    return rows;
  }

  /** Writes the rows into a new table under {@code name}, one commit a chunk; its data files. */
  private List<DataFile> write(String name, List<List<LakeRow>> commits) {
    Path tableFolder = folder.resolve(name);
    try {
      java.nio.file.Files.createDirectories(tableFolder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Catalog catalog = TestCatalogs.sqlite(tableFolder);
    try (var writer =
        dev.lake.core.write.LakeWriter.builder(catalog)
            .withoutWriteAheadLog()
            .commitInterval(Duration.ofHours(1))
            .build()) {
      for (List<LakeRow> rows : commits) {
        writer.append(rows);
        writer.flush();
      }
    }
    table = catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta"));
    List<DataFile> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().includeColumnStats().planFiles()) {
      tasks.forEach(task -> files.add(task.file().copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  @Test
  void theSameRowsInOtherFilesAndAnotherOrderShowNoDifference() {
    List<LakeRow> rows = rows(30);
    List<DataFile> inputs =
        write("in", List.of(rows.subList(0, 10), rows.subList(10, 20), rows.subList(20, 30)));
    Table inputTable = table;
    List<LakeRow> reversed = new ArrayList<>(rows);
    Collections.reverse(reversed);
    List<DataFile> outputs = write("out", List.of(reversed));

    String difference =
        FooterCheck.ofInputs(inputTable.schema(), inputs)
            .difference(FooterCheck.ofStorage(table, outputs));

    assertThat(inputs).hasSize(3);
    assertThat(outputs).hasSize(1);
    assertThat(difference).isNull();
  }

  @Test
  void aWrittenFileMissingIsSeenByTheRowsTheFootersHold() {
    List<LakeRow> rows = rows(30);
    List<DataFile> inputs = write("in", List.of(rows.subList(0, 10), rows.subList(10, 30)));

    String difference =
        FooterCheck.ofInputs(table.schema(), inputs)
            .difference(FooterCheck.ofStorage(table, inputs.subList(0, 1)));

    assertThat(difference)
        .matches("footers hold (10|20) rows, expected 30")
        .as("the file left is either of the two");
  }

  @Test
  void aValueChangedOnItsWayToStorageIsSeenByItsColumnsBounds() {
    List<LakeRow> rows = rows(30);
    List<DataFile> inputs = write("in", List.of(rows));
    Table inputTable = table;
    List<LakeRow> changed = new ArrayList<>(rows);
    OrderBookDelta last = (OrderBookDelta) changed.get(29);
    changed.set(
        29,
        new OrderBookDelta(
            last.exchange(),
            last.market(),
            last.symbol(),
            last.timestampMicros(),
            last.lastUpdateId(),
            last.side(),
            1000.5,
            last.quantity(),
            last.level(),
            last.localTimestampMicros(),
            null,
            null,
            false));
    List<DataFile> outputs = write("out", List.of(changed));

    String difference =
        FooterCheck.ofInputs(inputTable.schema(), inputs)
            .difference(FooterCheck.ofStorage(table, outputs));

    assertThat(difference).isEqualTo("price upper bound 1000.5 in the footers, expected 100.29");
  }
}
