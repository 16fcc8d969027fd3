package dev.lake.core.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lake.core.TestCatalogs;
import dev.lake.core.TestRows;
import dev.lake.core.read.TableRows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table dropped while a writer commits to it, on a real SQLite catalog: the writer stops with a
 * fatal error instead of retrying for ever, keeps the rows in its log, and a writer opened on the
 * log once the table is back commits them.
 */
class FatalErrorTest {
  private static final TableIdentifier DELTAS = TableIdentifier.of("crypto", "orderbook_delta");
  private static final int LEVELS = 3;

  @TempDir Path folder;
  private Catalog catalog;
  private LakeWriter writer;
  private final AtomicReference<String> reported = new AtomicReference<>();

  @BeforeEach
  void dropTheTableWhileTheWriterCommits() {
    catalog = TestCatalogs.sqlite(folder);
    writer = open();
    for (int id = 1; id <= 10; id++) {
      writer.append(TestRows.message("BEFORE", id, LEVELS));
    }
    writer.flush();
    catalog.dropTable(DELTAS, false);
    for (int id = 1; id <= 20; id++) {
      writer.append(TestRows.message("AFTER", id, LEVELS));
    }
    await(() -> writer.fatalError().isPresent(), Duration.ofSeconds(30));
  }

  @AfterEach
  void close() {
    writer.close();
  }

  private LakeWriter open() {
    return LakeWriter.builder(catalog)
        .writeAheadLog(folder.resolve("wal"))
        .commitInterval(Duration.ofMillis(100))
        .shutdownTimeout(Duration.ofSeconds(2))
        .onFailure(reported::set)
        .build();
  }

  private static void await(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited %s for the condition", timeout).isLessThan(deadline);
      LockSupport.parkNanos(10_000_000); // polls the condition; the time is not what is waited for
    }
  }

  @Test
  void theFatalErrorNamesTheTableAndSaysItWasDropped() {
    FatalWriteError error = writer.fatalError().orElseThrow();
    assertThat(error.kind()).isEqualTo(FatalWriteError.Kind.TABLE_DROPPED);
    assertThat(error.message())
        .startsWith(
            "Cannot commit to table crypto.orderbook_delta: the table was dropped"
                + " (NoSuchTableException: ");
    assertThat(writer.stats().fatalError()).isEqualTo(error.message());
  }

  @Test
  void theFailureActionRunsWithTheFatalError() {
    await(() -> reported.get() != null, Duration.ofSeconds(5));
    assertThat(reported.get()).isEqualTo(writer.fatalError().orElseThrow().message());
    assertThat(writer.failure()).isEqualTo(reported.get());
  }

  @Test
  void appendsAfterAFatalErrorAreRefusedNamingIt() {
    assertThatThrownBy(() -> writer.append(TestRows.message("LATE", 1, LEVELS)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot append rows: " + writer.fatalError().orElseThrow().message());
  }

  @Test
  void flushReturnsAtOnceInsteadOfWaitingForCommitsThatCannotHappen() {
    assertThat(writer.flush(Duration.ofSeconds(30))).isFalse();
    assertThatThrownBy(() -> writer.flush())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot flush: " + writer.fatalError().orElseThrow().message());
  }

  @Test
  void rowsAcceptedAreCommittedExactlyOnceByTheNextWriterOnceTheTableIsRecreated() {
    writer.close();
    assertThat(writer.stats().rowsLost()).isZero();
    writer = open(); // creates the dropped table again, then commits what the log holds
    writer.flush();
    var rows = TableRows.readAll(catalog.loadTable(DELTAS));
    assertThat(TestRows.uniqueKeys(rows, "AFTER")).hasSize(20 * LEVELS);
    TestRows.uniqueKeys(rows, "BEFORE"); // fails on a row committed twice
    assertThat(writer.fatalError()).isEmpty();
  }
}
