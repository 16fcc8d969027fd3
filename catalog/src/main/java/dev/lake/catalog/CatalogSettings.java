package dev.lake.catalog;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * Where lake's tables live: the catalog kind, its URI, the warehouse, and properties passed to
 * Iceberg unchanged (S3 settings use Iceberg's own names: {@code io-impl}, {@code s3.endpoint},
 * {@code s3.path-style-access}, {@code s3.access-key-id}, {@code s3.secret-access-key}, {@code
 * client.region}; REST auth: {@code credential}, {@code token}, {@code oauth2-server-uri}, {@code
 * rest.sigv4-enabled}, ...). Without S3 credentials, the default AWS chain supplies them. {@link
 * #toString} masks secrets (see {@link Secrets}): it is safe to print and log.
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

  /** The properties for printing: see {@link Secrets#maskProperties}. */
  public Map<String, String> maskedProperties() {
    return Secrets.maskProperties(properties);
  }

  @Override
  public String toString() {
    return "CatalogSettings[type="
        + type.text()
        + ", uri="
        + Secrets.mask(uri)
        + ", warehouse="
        + Secrets.mask(warehouse)
        + ", name="
        + name
        + ", properties="
        + maskedProperties()
        + "]";
  }
}
