package dev.lake.catalog;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where lake's tables live: the catalog kind, its URI, the warehouse, and properties passed to
 * Iceberg unchanged (S3 settings use Iceberg's own names: {@code io-impl}, {@code s3.endpoint},
 * {@code s3.path-style-access}, {@code s3.access-key-id}, {@code s3.secret-access-key}, {@code
 * client.region}; REST auth: {@code credential}, {@code token}, {@code oauth2-server-uri}, {@code
 * rest.sigv4-enabled}, ...). Without S3 credentials, the default AWS chain supplies them.
 *
 * @param type jdbc, rest or glue
 * @param uri JDBC URL or REST server URL; null for the embedded default (jdbc) or glue
 * @param warehouse the warehouse: a local folder or {@code s3://bucket/prefix}; optional for rest
 * @param name the catalog's name, as Iceberg reports it in table names
 * @param properties passed to Iceberg unchanged; they override lake's defaults
 */
public record CatalogSettings(
    CatalogType type, String uri, String warehouse, String name, Map<String, String> properties) {

  /** The catalog name used when none is configured. */
  public static final String DEFAULT_NAME = "lake";

  /** The SQLite file of the embedded catalog, in the warehouse folder. */
  public static final String EMBEDDED_DATABASE = "catalog.db";

  public CatalogSettings {
    requireNonNull(type, "type is null");
    name = name == null || name.isBlank() ? DEFAULT_NAME : name;
    properties = Map.copyOf(properties == null ? Map.of() : properties);
  }

  /** The embedded default: a JDBC catalog on a SQLite file in a local warehouse folder. */
  public static CatalogSettings embedded(String warehouse) {
    return new CatalogSettings(CatalogType.JDBC, null, warehouse, null, Map.of());
  }

  /** The properties with secret values masked, for printing. */
  public Map<String, String> maskedProperties() {
    Map<String, String> masked = new TreeMap<>();
    properties.forEach((key, value) -> masked.put(key, isSecret(key) ? "****" : value));
    return masked;
  }

  /** True for property names whose values must never be printed or logged. */
  public static boolean isSecret(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    return lower.contains("secret")
        || lower.contains("password")
        || lower.contains("token")
        || lower.contains("credential")
        || lower.contains("session")
        || lower.endsWith("key") && !lower.endsWith("access-key-id");
  }

  @Override
  public String toString() {
    return "CatalogSettings[type="
        + type.text()
        + ", uri="
        + uri
        + ", warehouse="
        + warehouse
        + ", name="
        + name
        + ", properties="
        + maskedProperties()
        + "]";
  }
}
