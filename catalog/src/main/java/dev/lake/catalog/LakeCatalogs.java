package dev.lake.catalog;

import static java.util.Objects.requireNonNull;

import dev.lake.core.io.LocalFileIO;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;

/**
 * Opens the Iceberg catalog that {@link CatalogSettings} describe, with its FileIO: HadoopFileIO on
 * the local file system (without checksum side files) for local warehouses, S3FileIO for {@code
 * s3://} ones unless {@code io-impl} says otherwise.
 */
public final class LakeCatalogs {
  static final String S3_FILE_IO = "org.apache.iceberg.aws.s3.S3FileIO";

  private LakeCatalogs() {}

  /**
   * Opens a catalog. For the embedded default the warehouse folder is created when missing.
   *
   * @throws IllegalArgumentException when the settings are incomplete, naming what is missing
   * @throws CatalogException when the catalog cannot be opened or reached, naming it and the cause
   *     with secrets masked (its causes keep their own messages, unmasked)
   */
  public static Catalog open(CatalogSettings settings) {
    requireNonNull(settings, "settings is null");
    Map<String, String> properties = properties(settings);
    try {
      return CatalogUtil.buildIcebergCatalog(settings.name(), properties, hadoopConfiguration());
    } catch (RuntimeException e) {
      throw new CatalogException(
          Secrets.mask(
              "Cannot open "
                  + settings.type().text()
                  + " catalog at "
                  + properties.getOrDefault(CatalogProperties.URI, properties.get("warehouse"))
                  + ": "
                  + rootMessage(e)),
          e);
    }
  }

  /** The Iceberg catalog properties lake derives from its settings (for display and tests). */
  public static Map<String, String> properties(CatalogSettings settings) {
    Map<String, String> properties = new HashMap<>();
    String warehouse = settings.warehouse();
    switch (settings.type()) {
      case JDBC -> {
        if (warehouse == null) {
          throw new IllegalArgumentException(
              "Invalid catalog settings: a jdbc catalog needs sink.warehouse");
        }
        String uri = settings.uri();
        if (uri == null) {
          Path folder = localFolder(warehouse);
          if (folder == null) {
            throw new IllegalArgumentException(
                "Invalid catalog settings: the embedded SQLite catalog needs a local warehouse"
                    + " folder, not "
                    + warehouse
                    + " (set sink.catalog.uri to a JDBC URL, or use a rest or glue catalog)");
          }
          createFolder(folder);
          warehouse = folder.toString();
          uri = "jdbc:sqlite:" + folder.resolve(CatalogSettings.EMBEDDED_DATABASE);
        }
        properties.put(CatalogUtil.ICEBERG_CATALOG_TYPE, CatalogUtil.ICEBERG_CATALOG_TYPE_JDBC);
        properties.put(CatalogProperties.URI, uri);
        properties.put("jdbc.schema-version", "V1");
        if (uri.startsWith("jdbc:sqlite:")) {
          properties.put("jdbc.journal_mode", "WAL");
          properties.put("jdbc.busy_timeout", "10000");
        }
      }
      case REST -> {
        if (settings.uri() == null) {
          throw new IllegalArgumentException(
              "Invalid catalog settings: a rest catalog needs sink.catalog.uri (the server's URL)");
        }
        properties.put(CatalogUtil.ICEBERG_CATALOG_TYPE, CatalogUtil.ICEBERG_CATALOG_TYPE_REST);
        properties.put(CatalogProperties.URI, settings.uri());
        // a catalog that accepts connections but never answers must not hang commits for minutes
        properties.put("rest.client.connection-timeout-ms", "10000");
        properties.put("rest.client.socket-timeout-ms", "60000");
      }
      case GLUE -> {
        if (warehouse == null) {
          throw new IllegalArgumentException(
              "Invalid catalog settings: a glue catalog needs sink.warehouse (s3://bucket/prefix)");
        }
        properties.put(CatalogUtil.ICEBERG_CATALOG_TYPE, CatalogUtil.ICEBERG_CATALOG_TYPE_GLUE);
      }
    }
    if (warehouse != null) {
      Path folder = localFolder(warehouse);
      properties.put(
          CatalogProperties.WAREHOUSE_LOCATION, folder != null ? folder.toString() : warehouse);
      if (isObjectStore(warehouse)) {
        properties.put(CatalogProperties.FILE_IO_IMPL, S3_FILE_IO);
      } else if (folder != null) {
        properties.put(CatalogProperties.FILE_IO_IMPL, LocalFileIO.class.getName());
      }
    }
    properties.putAll(settings.properties());
    return properties;
  }

  /** True for {@code s3://}, {@code s3a://} and {@code s3n://} locations. */
  public static boolean isObjectStore(String location) {
    return location.startsWith("s3://")
        || location.startsWith("s3a://")
        || location.startsWith("s3n://");
  }

  /** The absolute folder of a local location (a path or a {@code file:} URI), or null. */
  public static Path localFolder(String location) {
    if (location.startsWith("file:")) {
      return Path.of(java.net.URI.create(location)).toAbsolutePath().normalize();
    }
    if (location.contains("://")) {
      return null;
    }
    return Path.of(location).toAbsolutePath().normalize();
  }

  private static void createFolder(Path folder) {
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create warehouse folder " + folder + ": " + e, e);
    }
  }

  /** Hadoop settings for local files: no {@code .crc} side files next to data files. */
  public static Configuration hadoopConfiguration() {
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
    conf.setBoolean("fs.file.impl.disable.cache", true);
    return conf;
  }

  /**
   * The innermost message of a chain of causes, with its type when it says little, and with secrets
   * {@linkplain Secrets#mask masked}: Iceberg's, JDBC's and the AWS SDK's messages may carry a URI
   * with its password or token.
   */
  public static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    String type = root.getClass().getSimpleName();
    if (message == null || message.isBlank()) {
      return type;
    }
    return Secrets.mask(
        root instanceof java.net.ConnectException
                || root instanceof java.net.UnknownHostException
                || root instanceof java.sql.SQLException
            ? type + ": " + message
            : message);
  }
}
