package dev.lake.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A Kafka broker for {@link LakeRun}'s Kafka output, in a JVM of its own so that lake's heap and
 * CPU figures stay lake's: one KRaft node (broker and controller) from Kafka's test kit, in a
 * folder given as the argument. Prints {@code BOOTSTRAP host:port} once it serves, and stops when
 * its standard input closes (its parent ended).
 */
public final class KafkaBrokerRun {
  private KafkaBrokerRun() {}

  public static void main(String[] args) throws Exception {
    Path folder = Files.createDirectories(Path.of(args[0]));
    try (KafkaClusterTestKit cluster =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(folder)
                    .build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .build()) {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      System.out.println("BOOTSTRAP " + cluster.bootstrapServers());
      System.out.flush();
      while (System.in.read() >= 0) {
        // nothing comes; the end of input is the signal to stop
      }
    }
    System.exit(0);
  }
}
