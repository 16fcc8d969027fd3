package dev.lake.kafka;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * Where and how lake's rows go to Kafka.
 *
 * @param bootstrapServers the brokers to start from, {@code host:port[,host:port...]}
 * @param topicPrefix put before each table's name to make its topic ({@code lake.} gives {@code
 *     lake.orderbook_delta}) and before {@code positions} for the topic of the writers' positions
 * @param producerProperties passed to the Kafka producer (and to the clients that create the topics
 *     and read the positions) as they are, e.g. security settings; the settings exactly-once needs
 *     ({@code transactional.id}, {@code enable.idempotence}, {@code acks}, the serializers) are
 *     lake's and may not be given
 */
public record KafkaOutput(
    String bootstrapServers, String topicPrefix, Map<String, String> producerProperties) {
  /** The default topic prefix. */
  public static final String DEFAULT_TOPIC_PREFIX = "lake.";

  /** The settings lake makes itself; giving one in {@link #producerProperties} is refused. */
  public static final java.util.List<String> RESERVED_PROPERTIES =
      java.util.List.of(
          "bootstrap.servers",
          "transactional.id",
          "enable.idempotence",
          "acks",
          "key.serializer",
          "value.serializer",
          "isolation.level");

  public KafkaOutput {
    requireNonNull(bootstrapServers, "bootstrapServers is null");
    requireNonNull(topicPrefix, "topicPrefix is null");
    producerProperties =
        Map.copyOf(requireNonNull(producerProperties, "producerProperties is null"));
    if (bootstrapServers.isBlank()) {
      throw new IllegalArgumentException(
          "Invalid Kafka bootstrap servers: '" + bootstrapServers + "' (expected host:port)");
    }
    for (String key : producerProperties.keySet()) {
      if (RESERVED_PROPERTIES.contains(key)) {
        throw new IllegalArgumentException(
            "Invalid Kafka producer property: "
                + key
                + " (lake sets it for exactly-once delivery; expected none of "
                + String.join(", ", RESERVED_PROPERTIES)
                + ")");
      }
    }
  }

  /** The servers, prefix and property names; the values are left out, as they may be secrets. */
  @Override
  public String toString() {
    return "KafkaOutput[bootstrapServers="
        + bootstrapServers
        + ", topicPrefix="
        + topicPrefix
        + ", producerProperties="
        + new java.util.TreeSet<>(producerProperties.keySet())
        + "]";
  }

  /** The topic of a table's rows. */
  public String topic(String table) {
    return topicPrefix + table;
  }

  /** The compacted topic in which each writer's transactions record the log position they cover. */
  public String positionsTopic() {
    return topicPrefix + "positions";
  }
}
