package dev.lake.core;

import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;

/** Catalogs for lake-core's tests: Iceberg's JDBC catalog on a SQLite file, as lake's default. */
public final class TestCatalogs {
  private TestCatalogs() {}

  public static Catalog sqlite(Path warehouse) {
    return sqlite(warehouse, Map.of("type", "jdbc"));
  }

  /**
   * The same on a catalog class of the test's own (Iceberg's JDBC catalog with table operations it
   * changes), which needs a public no-argument constructor.
   */
  public static Catalog sqlite(Path warehouse, Class<? extends Catalog> catalogImpl) {
    return sqlite(warehouse, Map.of("catalog-impl", catalogImpl.getName()));
  }

  private static Catalog sqlite(Path warehouse, Map<String, String> kind) {
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
    conf.setBoolean("fs.file.impl.disable.cache", true);
    Map<String, String> properties =
        new java.util.HashMap<>(
            Map.of(
                "uri", "jdbc:sqlite:" + warehouse.resolve("catalog.db"),
                "warehouse", warehouse.toAbsolutePath().toString(),
                "jdbc.schema-version", "V1",
                "jdbc.journal_mode", "WAL",
                "jdbc.busy_timeout", "10000",
                "io-impl", "dev.lake.core.io.LocalFileIO"));
    properties.putAll(kind);
    return CatalogUtil.buildIcebergCatalog("lake", properties, conf);
  }
}
