package dev.lake.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lake.core.TestRows;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.read.TableRows;
import dev.lake.core.write.LakeWriter;
import dev.lake.testing.RestCatalogServer;
import dev.lake.testing.S3ProxyServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Iceberg's reference REST catalog server and S3Proxy, both in this JVM, as a user would run lake
 * against a REST catalog on S3.
 */
class RestS3CatalogTest {
  @TempDir static Path folder;
  static S3ProxyServer s3;
  static RestCatalogServer rest;

  @BeforeAll
  static void startServers() {
    s3 = S3ProxyServer.start(folder.resolve("blobs"));
    s3.createBucket("lake");
    rest = RestCatalogServer.start(folder, "s3://lake/warehouse", s3.catalogProperties());
  }

  @AfterAll
  static void stopServers() {
    rest.close();
    s3.close();
  }

  private static CatalogSettings settings() {
    return new CatalogSettings(CatalogType.REST, rest.uri(), null, "rest", s3.catalogProperties());
  }

  @Test
  void rowsWrittenThroughRestAndS3AreReadBackByIcebergAndDuckDb() throws Exception {
    Catalog catalog = LakeCatalogs.open(settings());
    assertThat(catalog).isInstanceOf(RESTCatalog.class);
    List<LakeRow> rows = new ArrayList<>(TestRows.oneOfEach());
    List<OrderBookDelta> deltas = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      deltas.add(TestRows.delta("ETHUSDT", 5000 + i / 5, i % 5));
    }
    try (LakeWriter writer =
        LakeWriter.builder(catalog)
            .tableOptions(dev.lake.core.table.TableOptions.builder().namespace("rest_s3").build())
            .writeAheadLog(folder.resolve("wal"))
            .build()) {
      writer.append(rows);
      writer.append(deltas);
      writer.flush();
    }

    Catalog reader = LakeCatalogs.open(settings());
    for (LakeRow row : rows) {
      Table table = reader.loadTable(TableIdentifier.of("rest_s3", row.tableName()));
      List<LakeRow> read = TableRows.readAll(table);
      if (row instanceof OrderBookDelta) {
        List<LakeRow> expected = new ArrayList<>(deltas);
        expected.add(row);
        assertThat(read).containsExactlyInAnyOrderElementsOf(expected);
      } else {
        assertThat(read).as(row.tableName()).containsExactly(row);
      }
    }

    // DuckDB cannot reach S3 here (its httpfs extension is downloaded on first use and there is
    // no internet), so it reads the very files lake wrote, copied byte for byte from S3Proxy.
    Table deltaTable = reader.loadTable(TableIdentifier.of("rest_s3", "orderbook_delta"));
    Path local = Files.createDirectories(folder.resolve("copies"));
    int copied = 0;
    try (CloseableIterable<FileScanTask> tasks = deltaTable.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        String location = task.file().location();
        assertThat(location)
            .matches(
                "s3://lake/warehouse/rest_s3/exchange=binance/market_type=spot/"
                    + "data_type=orderbook_delta/symbol=(BTCUSDT|ETHUSDT)/year=2025/month=08/day=05/"
                    + "hour=1[34]/part-.*\\.snappy\\.parquet");
        try (InputStream in = deltaTable.io().newInputFile(location).newStream()) {
          Files.copy(in, local.resolve("f" + copied++ + ".parquet"));
        }
      }
    }
    assertThat(copied).isGreaterThanOrEqualTo(2);
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duck.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT count(*), count(*) FILTER (WHERE symbol = 'ETHUSDT'), max(last_update_id)"
                    + " FROM read_parquet('"
                    + local
                    + "/*.parquet')")) {
      result.next();
      assertThat(result.getLong(1)).isEqualTo(5001);
      assertThat(result.getLong(2)).isEqualTo(5000);
      assertThat(result.getLong(3)).isEqualTo(5999);
    }
  }

  @Test
  void anUnreachableRestCatalogIsACleanError() {
    CatalogSettings settings =
        new CatalogSettings(CatalogType.REST, "http://127.0.0.1:1", null, null, Map.of());
    assertThatThrownBy(() -> LakeCatalogs.open(settings))
        .isInstanceOf(CatalogException.class)
        .hasMessageStartingWith("Cannot open rest catalog at http://127.0.0.1:1: ")
        .hasMessageContaining("Connect");
  }
}
