package dev.lake.benchmarks;

import dev.lake.core.model.LakeRow;
import dev.lake.core.write.LogFollower;
import dev.lake.kafka.KafkaOutput;
import dev.lake.kafka.KafkaSink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@link LakeRun}'s Kafka output (-Dlake.kafka=true): a broker in a JVM of its own ({@link
 * KafkaBrokerRun}) and lake's {@link KafkaSink} as the writer's log follower, as {@code lake
 * ingest} wires it, counted: the rows delivered and when the last delivery ended, which gives the
 * delivery lag at the end of a run (from the last append until Kafka has every row).
 */
final class KafkaOutputRun implements AutoCloseable {
  private final Process broker;
  private final Counting follower;
  private volatile long lastAppendNanos;

  private KafkaOutputRun(Process broker, String bootstrapServers) {
    this.broker = broker;
    this.follower =
        new Counting(new KafkaSink(new KafkaOutput(bootstrapServers, "lake.", Map.of())));
  }

  /** Starts the broker in the folder and waits until it serves. */
  static KafkaOutputRun start(Path folder) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process broker =
        new ProcessBuilder(
                java,
                "-Xmx1g",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp",
                System.getProperty("java.class.path"),
                KafkaBrokerRun.class.getName(),
                folder.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader output =
        new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
    for (String line = output.readLine(); line != null; line = output.readLine()) {
      if (line.startsWith("BOOTSTRAP ")) {
        return new KafkaOutputRun(broker, line.substring("BOOTSTRAP ".length()));
      }
    }
    broker.destroyForcibly();
    throw new IllegalStateException("Cannot start the Kafka broker: it ended without serving");
  }

  LogFollower follower() {
    return follower;
  }

  /** Notes that the writer has every row: the lag is counted from here. */
  void lastAppended() {
    lastAppendNanos = System.nanoTime();
  }

  long rowsDelivered() {
    return follower.rows;
  }

  /** From the last append until the last delivery ended, in seconds; 0 if it ended before. */
  double deliveryLagSeconds() {
    return Math.max(0, follower.lastDeliveredNanos - lastAppendNanos) / 1e9;
  }

  @Override
  public void close() throws Exception {
    broker.getOutputStream().close();
    if (!broker.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      broker.destroyForcibly();
    }
  }

  /** A follower that counts what the sink delivered and notes when. */
  private static final class Counting implements LogFollower {
    private final LogFollower sink;
    private volatile long rows;
    private volatile long lastDeliveredNanos;

    Counting(LogFollower sink) {
      this.sink = sink;
    }

    @Override
    public long deliveredPosition(String writerId) throws Exception {
      return sink.deliveredPosition(writerId);
    }

    @Override
    public void deliver(long from, long to, List<LakeRow> batch) throws Exception {
      sink.deliver(from, to, batch);
      rows += batch.size();
      lastDeliveredNanos = System.nanoTime();
    }

    @Override
    public void close() {
      sink.close();
    }
  }
}
