package dev.lake.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Topics of a Kafka output and the producer settings it refuses. */
class KafkaOutputTest {
  @Test
  void topicsAreThePrefixFollowedByTheTableName() {
    KafkaOutput output = new KafkaOutput("localhost:9092", "lake.", Map.of());
    assertThat(output.topic("orderbook_delta")).isEqualTo("lake.orderbook_delta");
    assertThat(output.positionsTopic()).isEqualTo("lake.positions");
  }

  @Test
  void aSettingExactlyOnceNeedsIsRefusedWithTheSettingsLakeMakes() {
    assertThatThrownBy(
            () -> new KafkaOutput("localhost:9092", "lake.", Map.of("transactional.id", "mine")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid Kafka producer property: transactional.id (lake sets it for exactly-once"
                + " delivery; expected none of bootstrap.servers, transactional.id,"
                + " enable.idempotence, acks, key.serializer, value.serializer, isolation.level)");
  }
}
