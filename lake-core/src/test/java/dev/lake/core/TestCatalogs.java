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
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
    conf.setBoolean("fs.file.impl.disable.cache", true);
    return CatalogUtil.buildIcebergCatalog(
        "lake",
        Map.of(
            "type", "jdbc",
            "uri", "jdbc:sqlite:" + warehouse.resolve("catalog.db"),
            "warehouse", warehouse.toAbsolutePath().toString(),
            "jdbc.schema-version", "V1",
            "jdbc.journal_mode", "WAL",
            "jdbc.busy_timeout", "10000",
            "io-impl", "dev.lake.core.io.LocalFileIO"),
        conf);
  }
}
