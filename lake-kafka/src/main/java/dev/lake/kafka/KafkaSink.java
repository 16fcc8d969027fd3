package dev.lake.kafka;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lake.core.model.LakeRow;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.write.LogFollower;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a writer's rows to Kafka exactly once: a {@link LogFollower} that delivers each batch of
 * the write-ahead log in one Kafka transaction, the rows to a topic per table and, in the same
 * transaction, the log position the batch ends at to the compacted positions topic, keyed by the
 * writer id. After a crash, a new producer with the same {@code transactional.id} ({@code lake-}
 * and the writer id) fences the old one and aborts its open transaction; the committed position is
 * then read back with {@code isolation.level=read_committed}, and delivery goes on after it. A
 * consumer reading with {@code read_committed} sees every row once; one reading uncommitted data
 * may see rows of aborted transactions again.
 *
 * <p>Each row's key is its book, {@code exchange|market_type|symbol}, so that one book's rows stay
 * in order in one partition; its value is JSON with the table's column names (see {@link RowJson}).
 * Missing topics are created (the positions topic compacted, with one partition) when the brokers
 * allow it; otherwise they must exist.
 *
 * <p>Failures (brokers down, timeouts, fencing) throw from the {@link LogFollower} methods: the
 * writer keeps the rows in its log and retries with back-off, and this sink starts again with a new
 * producer.
 */
public final class KafkaSink implements LogFollower {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
  private static final String POSITION_FIELD = "position";
  private static final JsonFactory JSON = new JsonFactory();

  private final KafkaOutput output;
  private final Map<String, String> topics = new HashMap<>();
  private final RowJson json = new RowJson();
  private String writerId;
  private KafkaProducer<byte[], byte[]> producer;
  private boolean topicsChecked;

  /** A sink to the brokers and topics of an output; it connects when the writer first asks. */
  public KafkaSink(KafkaOutput output) {
    this.output = requireNonNull(output, "output is null");
    for (TableDefinition<?> table : LakeTables.all()) {
      topics.put(table.name(), output.topic(table.name()));
    }
  }

  /** The transactional id of a writer's producer. */
  public static String transactionalId(String writerId) {
    return "lake-" + writerId;
  }

  /**
   * Starts a new producer for the writer (fencing any earlier one and aborting its open
   * transaction), then reads the writer's last committed position from the positions topic.
   */
  @Override
  public long deliveredPosition(String writerId) throws Exception {
    this.writerId = requireNonNull(writerId, "writerId is null");
    closeProducer();
    if (!topicsChecked) {
      createTopics();
      topicsChecked = true;
    }
    KafkaProducer<byte[], byte[]> fresh = new KafkaProducer<>(producerProperties(writerId));
    try {
      fresh.initTransactions();
    } catch (RuntimeException e) {
      fresh.close(CLOSE_TIMEOUT);
      throw e;
    }
    producer = fresh;
    long position = readPosition(writerId);
    LOG.info(
        "Kafka output of writer {} goes on after log position {} (transactional id {})",
        writerId,
        position,
        transactionalId(writerId));
    return position;
  }

  @Override
  public void deliver(long from, long to, List<LakeRow> rows) throws Exception {
    if (producer == null) {
      throw new IllegalStateException("Cannot deliver rows: the Kafka producer is not started");
    }
    try {
      producer.beginTransaction();
      for (LakeRow row : rows) {
        producer.send(
            new ProducerRecord<>(topics.get(row.tableName()), RowJson.key(row), json.value(row)));
      }
      producer.send(
          new ProducerRecord<>(
              output.positionsTopic(),
              writerId.getBytes(StandardCharsets.UTF_8),
              positionValue(to)));
      producer.commitTransaction();
    } catch (RuntimeException e) {
      // whatever state the transaction is in, a new producer resolves it (initTransactions aborts
      // it or finds it committed) and the position read back says which
      closeProducer();
      throw e;
    }
  }

  @Override
  public void close() {
    closeProducer();
  }

  private void closeProducer() {
    if (producer != null) {
      try {
        producer.close(CLOSE_TIMEOUT);
      } catch (RuntimeException e) {
        LOG.warn("Cannot close the Kafka producer: {}", e.toString());
      }
      producer = null;
    }
  }

  private Properties clientProperties() {
    Properties properties = new Properties();
    properties.putAll(output.producerProperties());
    properties.put("bootstrap.servers", output.bootstrapServers());
    return properties;
  }

  private Properties producerProperties(String writerId) {
    Properties properties = clientProperties();
    properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(writerId));
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    properties.put(
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    // defaults for a producer that sends a whole log batch at once and then commits: big
    // compressed batches cost the producer and the brokers far less per row than the clients'
    // defaults (16 KiB, uncompressed); a user's value wins
    properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "20");
    properties.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
    properties.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(64L * 1024 * 1024));
    properties.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return properties;
  }

  /** Creates the topics that are missing; brokers that refuse leave it to their operators. */
  private void createTopics() throws InterruptedException {
    List<NewTopic> wanted = new ArrayList<>();
    for (String topic : topics.values()) {
      wanted.add(new NewTopic(topic, java.util.Optional.empty(), java.util.Optional.empty()));
    }
    wanted.add(
        new NewTopic(output.positionsTopic(), java.util.Optional.of(1), java.util.Optional.empty())
            .configs(
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    try (Admin admin = Admin.create(clientProperties())) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing =
          wanted.stream().filter(topic -> !existing.contains(topic.name())).toList();
      if (missing.isEmpty()) {
        return;
      }
      for (var result : admin.createTopics(missing).values().entrySet()) {
        try {
          result.getValue().get();
          LOG.info("Created Kafka topic {}", result.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            LOG.warn("Cannot create Kafka topic {}: {}", result.getKey(), e.getCause().toString());
          }
        }
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("Cannot list Kafka topics: " + e.getCause(), e.getCause());
    }
  }

  /** The last committed position of a writer in the positions topic; 0 when it has none. */
  private long readPosition(String writerId) {
    Properties properties = clientProperties();
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.put(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    properties.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    byte[] key = writerId.getBytes(StandardCharsets.UTF_8);
    long position = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(output.positionsTopic(), Duration.ofSeconds(30)).stream()
              .map(info -> new TopicPartition(info.topic(), info.partition()))
              .toList();
      if (partitions.isEmpty()) {
        throw new IllegalStateException(
            "Cannot read Kafka topic " + output.positionsTopic() + ": it does not exist");
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (!reached(consumer, ends)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "Cannot read Kafka topic "
                  + output.positionsTopic()
                  + ": not at its end after "
                  + READ_TIMEOUT.toSeconds()
                  + " s");
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (java.util.Arrays.equals(record.key(), key) && record.value() != null) {
            position = parsePosition(record.value());
          }
        }
      }
    }
    return position;
  }

  private static boolean reached(
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      if (consumer.position(end.getKey(), Duration.ofSeconds(30)) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  private byte[] positionValue(long position) {
    return ("{\"writer_id\":\"" + writerId + "\",\"" + POSITION_FIELD + "\":" + position + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static long parsePosition(byte[] value) {
    try (JsonParser parser = JSON.createParser(value)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.FIELD_NAME
            && POSITION_FIELD.equals(parser.currentName())
            && parser.nextToken() == JsonToken.VALUE_NUMBER_INT) {
          return parser.getLongValue();
        }
      }
    } catch (IOException e) {
      // reported below with the record
    }
    throw new IllegalStateException(
        "Invalid position record: " + new String(value, StandardCharsets.UTF_8));
  }
}
