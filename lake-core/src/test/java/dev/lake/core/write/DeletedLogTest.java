package dev.lake.core.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lake.core.LogCapture;
import dev.lake.core.TestCatalogs;
import dev.lake.core.TestRows;
import dev.lake.core.model.LakeRow;
import dev.lake.core.read.TableRows;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-ahead log's folder deleted while rows are appended from another thread, as `rm -rf`
 * would: the writer notices within two seconds, says so, accepts no more rows, and commits every
 * row it accepted, or reports the ones it cannot as lost.
 */
class DeletedLogTest {
  @TempDir Path folder;
  private Path wal;
  private Catalog catalog;
  private final AtomicReference<String> reported = new AtomicReference<>();
  private final AtomicReference<IllegalStateException> refused = new AtomicReference<>();
  private final AtomicLong accepted = new AtomicLong();
  private LakeWriter writer;
  private Thread source;

  @BeforeEach
  void open() {
    wal = folder.resolve("wal");
    catalog = TestCatalogs.sqlite(folder);
    writer =
        LakeWriter.builder(catalog)
            .writeAheadLog(wal)
            .commitInterval(Duration.ofMinutes(10)) // nothing is committed before the deletion
            .shutdownTimeout(Duration.ofSeconds(3))
            .onFailure(reported::set)
            .build();
    source = new Thread(this::appendUntilRefused, "test-source");
    source.start();
  }

  @AfterEach
  void close() throws InterruptedException {
    writer.close();
    source.join(10_000);
  }

  private void appendUntilRefused() {
    for (int id = 0; ; id++) {
      try {
        writer.append(TestRows.message("GONE", id, 3));
      } catch (IllegalStateException e) {
        refused.set(e);
        return;
      }
      accepted.incrementAndGet();
      try {
        Thread.sleep(1); // paced, so that rows still flow while the folder is deleted
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Deletes the log's folder once rows are flowing; returns when it is gone. */
  private long deleteTheLogWhileRowsFlow() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> accepted.get() >= 200);
    while (true) {
      try (Stream<Path> files = Files.list(wal)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
        Files.delete(wal);
        return System.nanoTime();
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        // a file was made meanwhile: again
      }
    }
  }

  private List<LakeRow> committedRows() {
    return TableRows.readAll(catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta")));
  }

  @Test
  void theWriterStopsAcceptingRowsWithinTwoSecondsAndSaysWhy() throws Exception {
    long deleted = deleteTheLogWhileRowsFlow();
    await().atMost(Duration.ofSeconds(5)).until(() -> reported.get() != null);
    assertThat(System.nanoTime() - deleted).as("nanoseconds to notice").isLessThan(2_000_000_000L);
    assertThat(reported.get())
        .isEqualTo("the write-ahead log is gone: the folder " + wal + " no longer exists");
    assertThat(writer.failure()).isEqualTo(reported.get());
    source.join(5000);
    assertThat(refused.get()).hasMessage("Cannot append rows: " + reported.get());
  }

  @Test
  void everyRowAcceptedBeforeTheWriterStoppedIsCommittedWhenItCloses() throws Exception {
    deleteTheLogWhileRowsFlow();
    source.join(5000);
    writer.close();
    assertThat(writer.stats().rowsLost()).isZero();
    assertThat(writer.stats().rowsUncommitted()).isZero();
    assertThat(TestRows.uniqueKeys(committedRows(), "GONE")).hasSize((int) accepted.get() * 3);
  }

  @Test
  void acceptedRowsThatCannotBeCommittedAreCountedAsLostAndLoggedAsAnError() throws Exception {
    Path metadata = folder.resolve("crypto/orderbook_delta/metadata");
    Files.move(metadata, folder.resolve("metadata-away"));
    Files.writeString(metadata, "a regular file where Iceberg writes its metadata");
    try (LogCapture log = LogCapture.start()) {
      deleteTheLogWhileRowsFlow();
      source.join(5000);
      writer.close();
      assertThat(writer.stats().rowsLost()).isEqualTo(accepted.get() * 3);
      assertThat(log.lines("ERROR dev.lake.core.write.LakeWriter - Lost "))
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .contains(
                          "Lost "
                              + accepted.get() * 3
                              + " rows: they could not be committed (last error: Cannot commit to ")
                      .endsWith(
                          ") and the write-ahead log is gone: the folder "
                              + wal
                              + " no longer exists"));
    } finally {
      Files.delete(metadata);
      Files.move(folder.resolve("metadata-away"), metadata);
    }
  }
}
