package dev.lake.testing;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.options.CreateContainerOptions;

/**
 * S3Proxy in the test JVM: a real S3 endpoint on loopback (AWS signature v4), storing blobs in a
 * folder. {@link #catalogProperties()} gives the Iceberg properties that point S3FileIO at it.
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String ACCESS_KEY = "lake-access";
  public static final String SECRET_KEY = "lake-secret";

  private final S3Proxy proxy;
  private final BlobStore store;

  private S3ProxyServer(S3Proxy proxy, BlobStore store) {
    this.proxy = proxy;
    this.store = store;
  }

  /** Starts a server storing its blobs under a folder. */
  public static S3ProxyServer start(Path folder) {
    return start(folder, UnaryOperator.identity());
  }

  /**
   * Starts a server whose blob store is wrapped, e.g. by a store that fails some requests.
   *
   * @param folder where blobs are kept
   * @param wrap wraps the file-backed store
   */
  public static S3ProxyServer start(Path folder, UnaryOperator<BlobStore> wrap) {
    try {
      java.nio.file.Files.createDirectories(folder);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", folder.toAbsolutePath().toString());
    properties.setProperty("jclouds.identity", ACCESS_KEY);
    properties.setProperty("jclouds.credential", SECRET_KEY);
    BlobStore store = wrap.apply(BlobStores.create("filesystem-nio2", properties));
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    try {
      proxy.start();
      long deadline = System.currentTimeMillis() + 30_000;
      while (!"STARTED".equals(proxy.getState())) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
        }
        Thread.sleep(10);
      }
    } catch (Exception e) {
      throw new IllegalStateException("Cannot start S3Proxy: " + e.getMessage(), e);
    }
    return new S3ProxyServer(proxy, store);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  public int port() {
    return proxy.getPort();
  }

  /** Creates a bucket. */
  public void createBucket(String name) {
    store.createContainer(name, CreateContainerOptions.NONE);
  }

  /** Iceberg catalog properties for S3FileIO against this server. */
  public Map<String, String> catalogProperties() {
    Map<String, String> properties = new HashMap<>();
    properties.put("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
    properties.put("s3.endpoint", endpoint());
    properties.put("s3.path-style-access", "true");
    properties.put("s3.access-key-id", ACCESS_KEY);
    properties.put("s3.secret-access-key", SECRET_KEY);
    properties.put("client.region", "us-east-1");
    return properties;
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot stop S3Proxy", e);
    }
  }
}
