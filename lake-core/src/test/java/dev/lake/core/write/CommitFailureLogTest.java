package dev.lake.core.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lake.core.LogCapture;
import dev.lake.core.TestCatalogs;
import dev.lake.core.TestRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commits that fail for a while, retried every few hundred milliseconds: the log says so once when
 * they start failing and once when they work again, not at every retry. The failure is real: the
 * table's metadata folder is a regular file for a while, so Iceberg cannot write its manifests.
 */
class CommitFailureLogTest {
  @TempDir Path warehouse;

  @Test
  void commitsThatKeepFailingAreLoggedOnceWhenTheyStartAndOnceWhenTheyWorkAgain() throws Exception {
    Catalog catalog = TestCatalogs.sqlite(warehouse);
    Path metadata = warehouse.resolve("crypto/orderbook_delta/metadata");
    Path away = warehouse.resolve("metadata-away");
    try (LakeWriter writer =
            LakeWriter.builder(catalog)
                .writeAheadLog(warehouse.resolve("wal"))
                .commitInterval(Duration.ofMillis(100))
                .build();
        LogCapture log = LogCapture.start()) {
      Files.move(metadata, away);
      Files.writeString(metadata, "a regular file where Iceberg writes its metadata");
      writer.append(TestRows.message("FAILING", 1, 5));
      await().atMost(Duration.ofSeconds(10)).until(() -> writer.stats().lastError() != null);
      assertThat(writer.stats().lastError()).contains("orderbook_delta");
      // the time is the behaviour: retried with back-off meanwhile (100, 200, 400, 800 ms), and
      // each retry's failure must not be logged again
      Thread.sleep(1500);
      Files.delete(metadata);
      Files.move(away, metadata);
      assertThat(writer.flush(Duration.ofSeconds(30))).isTrue();

      List<String> lines = log.lines("LakeWriter");
      assertThat(lines).hasSize(2);
      assertThat(lines.get(0))
          .contains("WARN")
          .contains("Commits fail: Cannot commit to ")
          .contains("orderbook_delta")
          .endsWith("; retrying with back-off, quietly until they work again");
      assertThat(lines.get(1))
          .contains("INFO")
          .containsPattern("Commits work again after ([3-9]|\\d\\d+) failed attempts, \\d+ m?s$");
      assertThat(writer.stats().lastError()).isNull();
    }
  }
}
