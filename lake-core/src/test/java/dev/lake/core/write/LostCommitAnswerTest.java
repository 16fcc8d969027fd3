package dev.lake.core.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lake.core.ForwardingTableOperations;
import dev.lake.core.TestCatalogs;
import dev.lake.core.TestRows;
import dev.lake.core.model.LakeRow;
import dev.lake.core.read.TableRows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit the catalog applied but whose answer never came back, followed by a retry that carries
 * more files than the lost attempt (rows appended meanwhile): the retry must commit only the new
 * files. Iceberg's JDBC catalog on SQLite, with table operations that lose one answer on demand.
 */
class LostCommitAnswerTest {
  @TempDir Path warehouse;

  /** Iceberg's JDBC catalog whose table operations can lose a commit's answer. */
  public static final class LossyCatalog extends JdbcCatalog {
    static final AtomicInteger ANSWERS_TO_LOSE = new AtomicInteger();
    static final AtomicBoolean UNREACHABLE = new AtomicBoolean();

    @Override
    protected TableOperations newTableOps(TableIdentifier identifier) {
      return new LossyOperations(super.newTableOps(identifier));
    }
  }

  private static final class LossyOperations extends ForwardingTableOperations {
    LossyOperations(TableOperations delegate) {
      super(delegate);
    }

    @Override
    public TableMetadata refresh() {
      if (LossyCatalog.UNREACHABLE.get()) {
        throw new IllegalStateException("catalog unreachable (test)");
      }
      return delegate.refresh();
    }

    @Override
    public void commit(TableMetadata base, TableMetadata metadata) {
      if (LossyCatalog.UNREACHABLE.get()) {
        throw new IllegalStateException("catalog unreachable (test)");
      }
      delegate.commit(base, metadata);
      if (LossyCatalog.ANSWERS_TO_LOSE.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        // applied, but the client never hears of it (as a REST client's dropped connection,
        // which is not reported as an unknown commit state); then the catalog goes away a while
        LossyCatalog.UNREACHABLE.set(true);
        throw new IllegalStateException("connection reset after the commit was applied (test)");
      }
    }

    /** As a REST catalog's: a failure of unknown cause must not delete the commit's manifests. */
    @Override
    public boolean requireStrictCleanup() {
      return true;
    }
  }

  private Catalog catalog() {
    return TestCatalogs.sqlite(warehouse, LossyCatalog.class);
  }

  private static List<LakeRow> messages(String symbol, int from, int to) {
    List<LakeRow> rows = new ArrayList<>();
    for (int id = from; id < to; id++) {
      rows.addAll(TestRows.message(symbol, id, 2));
    }
    return rows;
  }

  @Test
  void aRetryCarryingMoreFilesThanTheLostAttemptCommitsOnlyTheNewOnes() throws Exception {
    Catalog catalog = catalog();
    try (LakeWriter writer =
        LakeWriter.builder(catalog)
            .writeAheadLog(warehouse.resolve("wal"))
            .commitInterval(Duration.ofSeconds(60))
            .build()) {
      writer.append(messages("LOST", 0, 100));
      LossyCatalog.ANSWERS_TO_LOSE.set(1);
      assertThat(writer.flush(Duration.ofMillis(500)))
          .as("the first commit's answer is lost")
          .isFalse();
      // on a loaded machine the first attempt can come after the flush's 500 ms
      await("the first commit applied and its answer lost")
          .atMost(Duration.ofSeconds(60))
          .until(() -> LossyCatalog.ANSWERS_TO_LOSE.get() == 0);

      // more rows while the catalog is away: the retry carries both generations' files
      writer.append(messages("LOST", 100, 200));
      assertThat(writer.flush(Duration.ofMillis(500))).isFalse();
      LossyCatalog.UNREACHABLE.set(false);
      assertThat(writer.flush(Duration.ofSeconds(30))).isTrue();
    } finally {
      LossyCatalog.UNREACHABLE.set(false);
      LossyCatalog.ANSWERS_TO_LOSE.set(0);
    }
    List<LakeRow> rows =
        TableRows.readAll(catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta")));
    Set<String> keys = TestRows.uniqueKeys(rows, "LOST");
    assertThat(keys).hasSize(200 * 2);
  }
}
