package dev.lake.core.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lake.core.TestCatalogs;
import dev.lake.core.TestRows;
import dev.lake.core.model.LakeRow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A log follower gets every accepted row once, and the log keeps what it has not delivered. */
class LogFollowerTest {
  @TempDir Path folder;

  /**
   * A follower that delivers into a list and keeps its position with it, as a transactional sink
   * does; it can be taken down (every call fails) and made to fail a number of batches.
   */
  static final class MemoryFollower implements LogFollower {
    final List<LakeRow> delivered = new ArrayList<>();
    final AtomicInteger failNextBatches = new AtomicInteger();
    volatile boolean down;
    volatile boolean closed;
    private long position;

    @Override
    public synchronized long deliveredPosition(String writerId) throws Exception {
      if (down) {
        throw new java.io.IOException("destination down");
      }
      return position;
    }

    @Override
    public synchronized void deliver(long from, long to, List<LakeRow> rows) throws Exception {
      if (down) {
        throw new java.io.IOException("destination down");
      }
      if (failNextBatches.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new java.io.IOException("batch failed");
      }
      if (from != position) {
        throw new AssertionError("batch from " + from + " but the position is " + position);
      }
      delivered.addAll(rows);
      position = to;
    }

    synchronized List<LakeRow> rows() {
      return List.copyOf(delivered);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private LakeWriter writer(Catalog catalog, MemoryFollower follower) {
    return LakeWriter.builder(catalog)
        .writeAheadLog(folder.resolve("wal"))
        .commitInterval(Duration.ofHours(1))
        .logFollower(follower)
        .build();
  }

  private static List<LakeRow> messages(int from, int to) {
    List<LakeRow> rows = new ArrayList<>();
    for (int id = from; id < to; id++) {
      rows.addAll(TestRows.message("FOLLOW", id, 3));
    }
    return rows;
  }

  private static void append(LakeWriter writer, List<LakeRow> rows) {
    for (int i = 0; i < rows.size(); i += 3) {
      writer.append(rows.subList(i, i + 3));
    }
  }

  @Test
  void theFollowerGetsEveryAcceptedRowInOrder() {
    MemoryFollower follower = new MemoryFollower();
    List<LakeRow> rows = messages(0, 200);
    try (LakeWriter writer = writer(TestCatalogs.sqlite(folder), follower)) {
      append(writer, rows);
      await().atMost(Duration.ofSeconds(30)).until(() -> follower.rows().size() >= rows.size());
      assertThat(follower.rows()).containsExactlyElementsOf(rows);
    }
    assertThat(follower.closed).isTrue();
  }

  @Test
  void theLogKeepsCommittedRowsTheFollowerHasNotDelivered() {
    MemoryFollower follower = new MemoryFollower();
    follower.down = true;
    try (LakeWriter writer = writer(TestCatalogs.sqlite(folder), follower)) {
      append(writer, messages(0, 100));
      assertThat(writer.flush(Duration.ofSeconds(30))).isTrue();
      // committed to the tables, yet the follower still needs them
      assertThat(writer.stats().walBytes()).isPositive();
      follower.down = false;
      await().atMost(Duration.ofSeconds(30)).until(() -> follower.rows().size() == 300);
      await().atMost(Duration.ofSeconds(30)).until(() -> writer.stats().walBytes() == 0);
    }
  }

  @Test
  void aFailedBatchIsDeliveredAgainFromTheFollowersPosition() {
    MemoryFollower follower = new MemoryFollower();
    follower.failNextBatches.set(2);
    List<LakeRow> rows = messages(0, 50);
    try (LakeWriter writer = writer(TestCatalogs.sqlite(folder), follower)) {
      append(writer, rows);
      await().atMost(Duration.ofSeconds(30)).until(() -> follower.rows().size() >= rows.size());
      assertThat(follower.rows()).containsExactlyElementsOf(rows);
    }
  }

  @Test
  void aReopenedWriterDeliversWhatTheFollowerMissedBeforeTheClose() {
    Catalog catalog = TestCatalogs.sqlite(folder);
    MemoryFollower follower = new MemoryFollower();
    follower.down = true;
    List<LakeRow> rows = messages(0, 40);
    try (LakeWriter writer =
        LakeWriter.builder(catalog)
            .writeAheadLog(folder.resolve("wal"))
            .shutdownTimeout(Duration.ofMillis(200))
            .logFollower(follower)
            .build()) {
      append(writer, rows);
    }
    assertThat(follower.rows()).isEmpty();
    follower.down = false;
    follower.closed = false;
    List<LakeRow> more = messages(40, 60);
    try (LakeWriter writer = writer(catalog, follower)) {
      append(writer, more);
      await().atMost(Duration.ofSeconds(30)).until(() -> follower.rows().size() >= 180);
    }
    List<LakeRow> all = new ArrayList<>(rows);
    all.addAll(more);
    assertThat(follower.rows()).containsExactlyElementsOf(all);
  }

  @Test
  void aFollowerWithoutAWriteAheadLogIsRefused() {
    MemoryFollower follower = new MemoryFollower();
    LakeWriter.Builder builder =
        LakeWriter.builder(TestCatalogs.sqlite(folder))
            .withoutWriteAheadLog()
            .logFollower(follower);
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Cannot build writer: a log follower needs a write-ahead log"
                + " (writeAheadLog(directory))");
  }
}
