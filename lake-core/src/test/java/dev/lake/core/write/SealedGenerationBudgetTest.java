package dev.lake.core.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.ForwardingTableOperations;
import dev.lake.core.TestCatalogs;
import dev.lake.core.TestRows;
import dev.lake.core.model.LakeRow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The buffer budget while the commit thread is behind: the open files of a generation that is
 * sealed but not yet closed share the budget with the generation being written. Iceberg's JDBC
 * catalog on SQLite, with table operations that hold a commit back until the test lets it go.
 */
class SealedGenerationBudgetTest {
  private static final int SYMBOLS = 100;
  private static final int LEVELS = 10;
  // 100 partitions' 1,000 rows each, held encoded until their commit, take about 6.4 MB (a 64 KiB
  // array each): one generation's fit the budget, its and the next one's 600 rows a partition do
  // not
  private static final long BUDGET = 8L * 1024 * 1024;
  private static final long SEALED_IDS = 100_000;
  private static final long NEXT_IDS = 1_000_000;

  @TempDir Path warehouse;

  /** Iceberg's JDBC catalog whose table commits wait while held. */
  public static final class HeldCatalog extends JdbcCatalog {
    static volatile CountDownLatch released = new CountDownLatch(0);
    static volatile CountDownLatch entered = new CountDownLatch(1);

    static void hold() {
      entered = new CountDownLatch(1);
      released = new CountDownLatch(1);
    }

    static void release() {
      released.countDown();
    }

    @Override
    protected TableOperations newTableOps(TableIdentifier identifier) {
      return new HeldOperations(super.newTableOps(identifier));
    }
  }

  private static final class HeldOperations extends ForwardingTableOperations {
    HeldOperations(TableOperations delegate) {
      super(delegate);
    }

    @Override
    public void commit(TableMetadata base, TableMetadata metadata) {
      if (base != null) {
        HeldCatalog.entered.countDown();
        try {
          HeldCatalog.released.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while held (test)", e);
        }
      }
      delegate.commit(base, metadata);
    }
  }

  @AfterEach
  void letCommitsGo() {
    HeldCatalog.release();
  }

  private Catalog catalog() {
    return TestCatalogs.sqlite(warehouse, HeldCatalog.class);
  }

  /** Appends {@code rounds} messages of {@link #LEVELS} rows to each symbol's book in turn. */
  private static void appendRounds(LakeWriter writer, long firstId, int rounds) {
    long id = firstId;
    for (int round = 0; round < rounds; round++) {
      for (int symbol = 0; symbol < SYMBOLS; symbol++) {
        List<LakeRow> message = new ArrayList<>(LEVELS);
        for (int level = 0; level < LEVELS; level++) {
          message.add(TestRows.delta("SYM" + symbol, id, level));
        }
        writer.append(message);
        id++;
      }
    }
  }

  @Test
  void theNextGenerationWritesItsRowGroupsOutAtWhatTheSealedOneLeavesOfTheBudget()
      throws Exception {
    Catalog catalog = catalog();
    try (LakeWriter writer =
        LakeWriter.builder(catalog)
            .withoutWriteAheadLog()
            .commitInterval(Duration.ofHours(1))
            .bufferMaxBytes(BUDGET)
            .build()) {
      HeldCatalog.hold();
      appendRounds(writer, 0, 1);
      writer.flush(Duration.ZERO);
      assertThat(HeldCatalog.entered.await(60, TimeUnit.SECONDS))
          .as("the commit thread is held in its first commit")
          .isTrue();
      // sealed behind the held commit: its 100 partitions' rows stay in memory until the commit
      // thread is free
      appendRounds(writer, SEALED_IDS, 100);
      writer.flush(Duration.ZERO);
      assertThat(writer.stats().pendingGenerations()).isEqualTo(1);
      // 60,000 rows into 100 partitions: about 3.3 MB on their own, under the budget
      appendRounds(writer, NEXT_IDS, 60);
      HeldCatalog.release();
      assertThat(writer.flush(Duration.ofSeconds(60))).isTrue();
    }

    assertThat(rowGroupsFrom(catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta"))))
        .as(
            "row groups of the rows appended while the sealed generation waited (one per symbol"
                + " if its files are not counted)")
        .isGreaterThan(SYMBOLS);
  }

  /** Row groups of the files holding rows appended after the sealed generation. */
  private static int rowGroupsFrom(Table table) throws Exception {
    int groups = 0;
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        try (ParquetFileReader reader =
            ParquetFileReader.open(
                HadoopInputFile.fromPath(
                    new org.apache.hadoop.fs.Path(task.file().location()), new Configuration()))) {
          for (BlockMetaData block : reader.getFooter().getBlocks()) {
            if (smallestId(block) >= NEXT_IDS) {
              groups++;
            }
          }
        }
      }
    }
    return groups;
  }

  private static long smallestId(BlockMetaData block) {
    for (ColumnChunkMetaData column : block.getColumns()) {
      if (column.getPath().toDotString().equals("last_update_id")) {
        return ((Number) column.getStatistics().genericGetMin()).longValue();
      }
    }
    throw new IllegalStateException("no last_update_id column in " + block);
  }
}
