package dev.lake.core.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.TestCatalogs;
import dev.lake.core.TestRows;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.read.TableRows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the writer does when its log reaches the disk budget: hold rows back, or drop and say so.
 */
class WalBudgetTest {
  private static final long BUDGET = 1024 * 1024;

  @TempDir Path folder;

  private LakeWriter writer(Catalog catalog, WalFullPolicy policy) {
    return LakeWriter.builder(catalog)
        .writeAheadLog(folder.resolve("wal"))
        .walMaxBytes(BUDGET)
        .walFullPolicy(policy)
        .commitInterval(Duration.ofHours(1)) // nothing commits unless flushed
        .build();
  }

  private static void fill(LakeWriter writer, int from, int to) {
    for (int id = from; id < to; id++) {
      writer.append(TestRows.message("BUDGET", id, 5));
    }
  }

  @Test
  void backPressureHoldsAppendsUntilCommitsFreeSpace() throws Exception {
    Catalog catalog = TestCatalogs.sqlite(folder);
    try (LakeWriter writer = writer(catalog, WalFullPolicy.BACKPRESSURE)) {
      int id = 0;
      while (writer.stats().walBytes() < BUDGET) {
        writer.append(TestRows.message("BUDGET", id++, 5));
      }
      int next = id;
      CompletableFuture<Void> blocked =
          CompletableFuture.runAsync(() -> fill(writer, next, next + 10));
      try {
        blocked.get(700, TimeUnit.MILLISECONDS);
        throw new AssertionError("append should wait while the log is over its budget");
      } catch (TimeoutException expected) {
        // held back
      }
      writer.flush(Duration.ofSeconds(30)); // commits free the log
      blocked.get(30, TimeUnit.SECONDS);
      assertThat(writer.stats().rowsDropped()).isZero();
      assertThat(writer.flush(Duration.ofSeconds(30))).isTrue();
      List<LakeRow> rows =
          TableRows.readAll(catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta")));
      assertThat(TestRows.uniqueKeys(rows, "BUDGET")).hasSize((next + 10) * 5);
    }
  }

  @Test
  void dropLosesRowsOnlyPastTheBudgetAndRecordsHowMany() {
    Catalog catalog = TestCatalogs.sqlite(folder);
    long dropped;
    try (LakeWriter writer = writer(catalog, WalFullPolicy.DROP)) {
      int id = 0;
      while (writer.stats().rowsDropped() == 0) {
        fill(writer, id, id + 100);
        id += 100;
      }
      fill(writer, id, id + 100);
      dropped = writer.stats().rowsDropped();
      assertThat(writer.flush(Duration.ofSeconds(30))).isTrue();
      writer.append(
          TestRows.message("BUDGET", 1_000_000, 5)); // space again: the drop is reported first
      assertThat(writer.flush(Duration.ofSeconds(30))).isTrue();
      long accepted = writer.stats().rowsCommitted().get("orderbook_delta");
      assertThat(accepted + dropped).isEqualTo((id + 100) * 5L + 5);
    }
    List<LakeRow> events =
        TableRows.readAll(catalog.loadTable(TableIdentifier.of("crypto", "stream_events")));
    assertThat(events)
        .singleElement()
        .satisfies(
            row -> {
              StreamEvent event = (StreamEvent) row;
              assertThat(event.event()).isEqualTo(StreamEventType.DROPPED);
              assertThat(event.exchange()).isEqualTo("lake");
              assertThat(event.detail())
                  .isEqualTo(
                      dropped
                          + " rows dropped: write-ahead log over its budget of "
                          + BUDGET
                          + " bytes (wal_full: drop)");
            });
  }
}
