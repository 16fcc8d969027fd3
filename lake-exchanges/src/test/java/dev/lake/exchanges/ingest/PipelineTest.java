package dev.lake.exchanges.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.write.LakeWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineTest {
  @TempDir Path folder;

  private LakeWriter writer() {
    return LakeWriter.builder(
            LakeCatalogs.open(CatalogSettings.embedded(folder.resolve("warehouse").toString())))
        .withoutWriteAheadLog()
        .build();
  }

  private static List<LakeRow> rows(int count, long start) {
    List<LakeRow> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long micros = 1_700_000_000_000_000L + start + i;
      rows.add(
          new StreamEvent(
              "binance",
              "spot",
              "orderbook_delta",
              "BTCUSDT",
              StreamEventType.CONNECT,
              "row " + (start + i),
              null,
              null,
              micros,
              micros));
    }
    return rows;
  }

  @Test
  void everyRowOfferedReachesTheWriterAndIsCommitted() {
    try (LakeWriter writer = writer()) {
      try (Pipeline pipeline = new Pipeline(writer, 1_000)) {
        for (int i = 0; i < 50; i++) {
          assertThat(pipeline.offer(rows(10, i * 10L))).isTrue();
        }
        assertThat(pipeline.awaitDrained(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pipeline.lostRows()).isZero();
      }
      writer.flush();
      assertThat(writer.stats().rowsCommitted()).containsEntry("stream_events", 500L);
    }
  }

  @Test
  void aFullQueueRefusesAndCallsBackWhenThereIsRoom() throws InterruptedException {
    try (LakeWriter writer = writer();
        Pipeline pipeline = new Pipeline(writer, 100)) {
      int refused = 0;
      for (int i = 0; i < 200 && refused == 0; i++) {
        if (!pipeline.offer(rows(60, i * 60L))) {
          refused++;
        }
      }
      assertThat(refused).as("a full queue refuses").isEqualTo(1);
      CountDownLatch room = new CountDownLatch(1);
      pipeline.whenRoom(room::countDown);
      assertThat(room.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void rowsAWriterCanNoLongerTakeAreCountedAsLostNeverDroppedSilently() {
    LakeWriter writer = writer();
    writer.close();
    try (Pipeline pipeline = new Pipeline(writer, 1_000)) {
      pipeline.offer(rows(7, 0));
      pipeline.offer(rows(5, 100));
      assertThat(pipeline.awaitDrained(10, TimeUnit.SECONDS)).isTrue();
      assertThat(pipeline.lostRows()).isEqualTo(12);
    }
  }
}
