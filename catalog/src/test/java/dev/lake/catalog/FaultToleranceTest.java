package dev.lake.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lake.core.TestRows;
import dev.lake.core.model.LakeRow;
import dev.lake.core.read.TableRows;
import dev.lake.core.write.LakeWriter;
import dev.lake.testing.FaultyBlobStore;
import dev.lake.testing.FlakyProxy;
import dev.lake.testing.RestCatalogServer;
import dev.lake.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.expressions.Expressions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's promise under failures, with real components: nothing lost, nothing twice, when S3
 * fails a share of requests and drops connections, when the REST catalog goes away and comes back,
 * when commit answers are lost, and with two writers on the same tables.
 */
class FaultToleranceTest {
  private static final int LEVELS = 3;

  @TempDir Path folder;

  /** Appends messages 0..count-1 of a symbol, with a pause every few, returning the last error. */
  private static Thread source(
      LakeWriter writer, String symbol, int count, AtomicReference<Throwable> failure) {
    return source(writer, symbol, count, 20, failure);
  }

  /** Appends {@code count} messages, pausing 5 ms after every {@code burst} of them. */
  private static Thread source(
      LakeWriter writer, String symbol, int count, int burst, AtomicReference<Throwable> failure) {
    Thread thread =
        new Thread(
            () -> {
              try {
                for (int id = 0; id < count; id++) {
                  writer.append(TestRows.message(symbol, id, LEVELS));
                  if (id % burst == 0) {
                    Thread.sleep(5); // pacing the source is the point: it must outlast the faults
                  }
                }
              } catch (Throwable e) {
                failure.set(e);
              }
            });
    thread.start();
    return thread;
  }

  private static void assertExactlyOnce(
      Catalog catalog, String namespace, String symbol, int count) {
    List<LakeRow> rows =
        TableRows.read(
            catalog.loadTable(TableIdentifier.of(namespace, "orderbook_delta")),
            Expressions.equal("symbol", symbol));
    Set<String> keys = TestRows.uniqueKeys(rows, symbol);
    assertThat(keys).hasSize(count * LEVELS);
    for (int id = 0; id < count; id += 97) {
      assertThat(keys.contains(id + "/" + (LEVELS - 1))).as("message %s", id).isTrue();
    }
  }

  @Test
  void s3FailingRequestsAndDroppingConnectionsLosesNothingAndDuplicatesNothing() throws Exception {
    AtomicReference<FaultyBlobStore> faulty = new AtomicReference<>();
    try (S3ProxyServer s3 =
            S3ProxyServer.start(
                folder.resolve("blobs"),
                store -> {
                  faulty.set(new FaultyBlobStore(store));
                  return faulty.get();
                });
        FlakyProxy network = FlakyProxy.start(s3.port())) {
      s3.createBucket("lake");
      Map<String, String> properties = new HashMap<>(s3.catalogProperties());
      properties.put("s3.endpoint", network.endpoint());
      properties.put("s3.retry.num-retries", "1");
      properties.put("s3.retry.min-wait-ms", "10");
      properties.put("s3.retry.max-wait-ms", "50");
      properties.put("type", "jdbc");
      properties.put("uri", "jdbc:sqlite:" + folder.resolve("catalog.db"));
      properties.put("warehouse", "s3://lake/warehouse");
      properties.put("jdbc.schema-version", "V1");
      Catalog catalog =
          CatalogUtil.buildIcebergCatalog("lake", properties, LakeCatalogs.hadoopConfiguration());
      int count = 6000;
      AtomicReference<Throwable> failure = new AtomicReference<>();
      try (LakeWriter writer =
          LakeWriter.builder(catalog)
              .writeAheadLog(folder.resolve("wal"))
              .commitInterval(Duration.ofMillis(200))
              .shutdownTimeout(Duration.ofSeconds(120))
              .build()) {
        // paced to outlast the fault window, so commits keep meeting faults
        Thread source = source(writer, "S3FAULTS", count, 3, failure);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> !writer.stats().rowsCommitted().isEmpty());
        faulty.get().failureRate(0.3);
        network.dropConnections(0.05);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> faulty.get().failures() > 10 && network.drops() > 0);
        faulty.get().failureRate(0);
        network.dropConnections(0);
        source.join();
        assertThat(failure.get()).isNull();
        assertThat(writer.flush(Duration.ofSeconds(120))).isTrue();
      }
      assertThat(faulty.get().failures()).as("faults were injected").isGreaterThan(10);
      assertThat(network.drops()).as("connections were dropped").isGreaterThan(0);
      assertExactlyOnce(catalog, "crypto", "S3FAULTS", count);
    }
  }

  @Test
  void aRestCatalogOutageAndLostCommitAnswersAreRiddenOutExactlyOnce() throws Exception {
    try (RestCatalogServer rest =
            RestCatalogServer.start(folder, folder.resolve("warehouse").toString(), Map.of());
        FlakyProxy network = FlakyProxy.start(rest.port())) {
      Catalog catalog =
          LakeCatalogs.open(
              new CatalogSettings(CatalogType.REST, network.endpoint(), null, null, Map.of()));
      int count = 6000;
      AtomicReference<Throwable> failure = new AtomicReference<>();
      long walDuringOutage;
      try (LakeWriter writer =
          LakeWriter.builder(catalog)
              .writeAheadLog(folder.resolve("wal"))
              .commitInterval(Duration.ofMillis(200))
              .shutdownTimeout(Duration.ofSeconds(120))
              .build()) {
        // paced to outlast the outage, so commits keep coming while answers are lost
        Thread source = source(writer, "OUTAGE", count, 3, failure);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> !writer.stats().rowsCommitted().isEmpty());
        rest.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.stats().lastError() != null);
        walDuringOutage = writer.stats().walBytes();
        assertThat(writer.stats().lastError())
            .as("commits fail while the catalog is down")
            .isNotNull();
        rest.startAgain();
        network.dropResponses(0.3); // some commits succeed without the client hearing of it
        await().atMost(Duration.ofSeconds(20)).until(() -> network.drops() >= 5);
        network.dropResponses(0);
        source.join();
        assertThat(failure.get()).isNull();
        assertThat(writer.flush(Duration.ofSeconds(120))).isTrue();
        assertThat(writer.stats().lastError()).isNull();
      }
      assertThat(walDuringOutage).as("rows kept in the log during the outage").isGreaterThan(0);
      assertThat(network.drops()).as("answers were lost").isGreaterThan(0);
      assertExactlyOnce(catalog, "crypto", "OUTAGE", count);
    }
  }

  @Test
  void twoWritersOnTheSameTablesEachCommitTheirRowsOnce() throws Exception {
    Path warehouse = Files.createDirectories(folder.resolve("warehouse"));
    Catalog first = LakeCatalogs.open(CatalogSettings.embedded(warehouse.toString()));
    Catalog second = LakeCatalogs.open(CatalogSettings.embedded(warehouse.toString()));
    int count = 4000;
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (LakeWriter a =
            LakeWriter.builder(first)
                .writeAheadLog(folder.resolve("wal-a"))
                .commitInterval(Duration.ofMillis(100))
                .build();
        LakeWriter b =
            LakeWriter.builder(second)
                .writeAheadLog(folder.resolve("wal-b"))
                .commitInterval(Duration.ofMillis(100))
                .build()) {
      assertThat(a.writerId()).isNotEqualTo(b.writerId());
      Thread sourceA = source(a, "WRITER_A", count, failure);
      Thread sourceB = source(b, "WRITER_B", count, failure);
      sourceA.join();
      sourceB.join();
      assertThat(failure.get()).isNull();
      assertThat(a.flush(Duration.ofSeconds(60))).isTrue();
      assertThat(b.flush(Duration.ofSeconds(60))).isTrue();
    }
    assertExactlyOnce(first, "crypto", "WRITER_A", count);
    assertExactlyOnce(first, "crypto", "WRITER_B", count);
  }
}
