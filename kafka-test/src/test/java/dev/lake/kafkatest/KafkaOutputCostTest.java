package dev.lake.kafkatest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.write.LakeWriter;
import dev.lake.core.write.LogFollower;
import dev.lake.kafka.KafkaOutput;
import dev.lake.kafka.KafkaSink;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Kafka output costs: the same rows through a writer with and without it, timed from the
 * first append until {@code close()} returns (everything committed, and with Kafka everything
 * delivered). A measurement, run with -Plong; it prints rows per second and the CPU time of the JVM
 * per row (the broker runs in it too).
 */
@Tag("long")
class KafkaOutputCostTest {
  private static final int MESSAGES = 50_000;
  private static final int LEVELS = 10;
  private static final com.sun.management.OperatingSystemMXBean PROCESS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  @TempDir Path folder;

  private static List<List<LakeRow>> messages() {
    List<List<LakeRow>> messages = new ArrayList<>(MESSAGES);
    long micros = 1_796_000_523_123_456L;
    for (int id = 0; id < MESSAGES; id++) {
      List<LakeRow> rows = new ArrayList<>(LEVELS);
      for (int level = 0; level < LEVELS; level++) {
        rows.add(
            new OrderBookDelta(
                "binance",
                MarketType.SPOT,
                id % 2 == 0 ? "BTCUSDT" : "ETHUSDT",
                micros + id,
                id,
                level % 2 == 0 ? BookSide.BID : BookSide.ASK,
                60000.0 + level * 0.01,
                level * 0.5,
                level,
                micros + id + 1000,
                (long) id,
                null,
                false));
      }
      messages.add(rows);
    }
    return messages;
  }

  private double rowsPerSecond(String run, LakeWriter.Builder builder, List<List<LakeRow>> rows) {
    return rowsPerSecond(run, builder, rows, null);
  }

  /**
   * Appends the rows and closes the writer; prints the rate, the JVM's CPU per row and, with a
   * follower, its thread's CPU per row in {@code deliver} and the time from the last append until
   * the last delivery.
   */
  private double rowsPerSecond(
      String run, LakeWriter.Builder builder, List<List<LakeRow>> rows, TimedFollower follower) {
    if (follower != null) {
      builder.logFollower(follower);
    }
    long started = System.nanoTime();
    long cpuStarted = PROCESS.getProcessCpuTime();
    long lastAppend;
    try (LakeWriter writer = builder.build()) {
      for (List<LakeRow> message : rows) {
        writer.append(message);
      }
      lastAppend = System.nanoTime();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    double cpuMicrosPerRow = (PROCESS.getProcessCpuTime() - cpuStarted) / 1e3 / (MESSAGES * LEVELS);
    double rate = MESSAGES * LEVELS / seconds;
    System.out.printf(
        "%s: %d rows in %.2f s, %.0f rows/s, %.1f CPU µs per row (the whole JVM, broker too)%n",
        run, MESSAGES * LEVELS, seconds, rate, cpuMicrosPerRow);
    if (follower != null) {
      System.out.printf(
          "  follower: %d rows, deliveries for %.2f s (%.0f rows/s), %.1f CPU µs per row in"
              + " deliver; %.2f s from the last append to the last delivery%n",
          follower.rows,
          (follower.lastNanos - follower.firstNanos) / 1e9,
          follower.rows / ((follower.lastNanos - follower.firstNanos) / 1e9),
          follower.cpuNanos / 1e3 / follower.rows,
          Math.max(0, follower.lastNanos - lastAppend) / 1e9);
    }
    return rate;
  }

  /** A Kafka sink that counts its rows, the CPU time of its calls and when they ran. */
  private static final class TimedFollower implements LogFollower {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final KafkaSink sink;
    private long rows;
    private long cpuNanos;
    private long firstNanos;
    private long lastNanos;

    TimedFollower(KafkaSink sink) {
      this.sink = sink;
    }

    @Override
    public long deliveredPosition(String writerId) throws Exception {
      return sink.deliveredPosition(writerId);
    }

    @Override
    public void deliver(long from, long to, List<LakeRow> batch) throws Exception {
      long cpu = THREADS.getCurrentThreadCpuTime();
      long started = System.nanoTime();
      sink.deliver(from, to, batch);
      cpuNanos += THREADS.getCurrentThreadCpuTime() - cpu;
      firstNanos = firstNanos == 0 ? started : firstNanos;
      lastNanos = System.nanoTime();
      rows += batch.size();
    }

    @Override
    public void close() {
      sink.close();
    }
  }

  private LakeWriter.Builder writer(String name) throws Exception {
    return LakeWriter.builder(
            LakeCatalogs.open(
                CatalogSettings.embedded(
                    Files.createDirectories(folder.resolve(name)).resolve("warehouse").toString())))
        .writeAheadLog(folder.resolve(name).resolve("wal"))
        .commitInterval(Duration.ofSeconds(5))
        .shutdownTimeout(Duration.ofMinutes(5));
  }

  private static TimedFollower kafka(KafkaBroker broker, String prefix) {
    return new TimedFollower(
        new KafkaSink(new KafkaOutput(broker.bootstrapServers(), prefix, Map.of())));
  }

  @Test
  void printsRowsPerSecondWithAndWithoutKafka() throws Exception {
    List<List<LakeRow>> rows = messages();
    try (KafkaBroker broker = KafkaBroker.start(Files.createDirectories(folder.resolve("kafka")))) {
      // the Kafka clients, the broker's paths and the sink warm up too, on topics of their own
      rowsPerSecond("warm-up", writer("warm"), rows);
      rowsPerSecond("warm-up with Kafka", writer("warm-kafka"), rows, kafka(broker, "warm."));
      double iceberg = rowsPerSecond("Iceberg only", writer("iceberg"), rows);
      double both =
          rowsPerSecond("Iceberg and Kafka", writer("both"), rows, kafka(broker, "lake."));
      assertThat(Topics.readCommitted(broker.bootstrapServers(), "lake.orderbook_delta"))
          .hasSize(MESSAGES * LEVELS);
      System.out.printf("Kafka output: %.0f%% of the rate without it%n", 100 * both / iceberg);
    }
  }
}
