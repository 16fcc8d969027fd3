package dev.lake.kafkatest;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.FutureCallback;

/**
 * A standalone Kafka Connect worker in this JVM (connectors from the class path), reading with
 * {@code isolation.level=read_committed} as lake's exactly-once output needs.
 */
final class ConnectWorker implements AutoCloseable {
  private final Connect<StandaloneHerder> connect;

  private ConnectWorker(Connect<StandaloneHerder> connect) {
    this.connect = connect;
  }

  static ConnectWorker start(String bootstrapServers, Path folder) {
    Map<String, String> worker = new HashMap<>();
    worker.put("bootstrap.servers", bootstrapServers);
    worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    worker.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    worker.put("value.converter.schemas.enable", "false");
    worker.put("offset.storage.file.filename", folder.resolve("connect.offsets").toString());
    worker.put("listeners", "http://127.0.0.1:0");
    worker.put("consumer.isolation.level", "read_committed");
    return new ConnectWorker(new ConnectStandalone().startConnect(worker));
  }

  void addConnector(String name, Map<String, String> config) throws Exception {
    Map<String, String> named = new HashMap<>(config);
    named.put("name", name);
    FutureCallback<Herder.Created<ConnectorInfo>> created = new FutureCallback<>();
    connect.herder().putConnectorConfig(name, named, false, created);
    created.get(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    connect.stop();
    connect.awaitStop();
  }
}
