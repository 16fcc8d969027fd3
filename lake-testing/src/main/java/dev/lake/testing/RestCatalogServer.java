package dev.lake.testing;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Iceberg's reference REST catalog server ({@code org.apache.iceberg.rest.RESTCatalogServer} from
 * the iceberg-open-api test fixtures) in the test JVM, backed by a JDBC catalog in a SQLite file so
 * that it can be stopped and started again on the same port with its state (for outage tests).
 */
public final class RestCatalogServer implements AutoCloseable {
  private final Map<String, String> config;
  private final int port;
  private Object server;

  private RestCatalogServer(Map<String, String> config, int port) {
    this.config = config;
    this.port = port;
  }

  /**
   * Starts a server.
   *
   * @param stateFolder where the backing SQLite catalog lives
   * @param warehouse the warehouse location (a folder or {@code s3://bucket/prefix})
   * @param ioProperties FileIO properties of the backing catalog (e.g. S3Proxy's)
   */
  public static RestCatalogServer start(
      Path stateFolder, String warehouse, Map<String, String> ioProperties) {
    int port = freePort();
    Map<String, String> config = new HashMap<>(ioProperties);
    config.put("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog");
    config.put(
        "uri", "jdbc:sqlite:file:" + stateFolder.toAbsolutePath().resolve("rest-backend.db"));
    config.put("jdbc.schema-version", "V1");
    config.put("warehouse", warehouse);
    config.put("rest.port", Integer.toString(port));
    RestCatalogServer fixture = new RestCatalogServer(config, port);
    fixture.startAgain();
    return fixture;
  }

  /** The URI clients use. */
  public String uri() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Starts the server (again) on the same port, with the catalog state it had. */
  public synchronized void startAgain() {
    if (server != null) {
      return;
    }
    try {
      Class<?> type = Class.forName("org.apache.iceberg.rest.RESTCatalogServer");
      Constructor<?> constructor = type.getDeclaredConstructor(Map.class);
      constructor.setAccessible(true);
      Object instance = constructor.newInstance(config);
      type.getMethod("start", boolean.class).invoke(instance, false);
      this.server = instance;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot start Iceberg's REST catalog server: " + e, e);
    }
  }

  /** Stops the server; clients then get connection errors until {@link #startAgain()}. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    try {
      server.getClass().getMethod("stop").invoke(server);
      this.server = null;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot stop Iceberg's REST catalog server: " + e, e);
    }
  }

  @Override
  public void close() {
    stop();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot find a free port", e);
    }
  }
}
