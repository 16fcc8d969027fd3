package dev.lake.core.layout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.table.LakeTables;
import dev.lake.core.table.PartitionGranularity;
import java.time.OffsetDateTime;
import java.util.Map;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.junit.jupiter.api.Test;

class LakeLocationProviderTest {
  private static String location(
      LakeLocationProvider provider, PartitionSpec spec, Map<String, Object> values) {
    GenericRecord record = GenericRecord.create(spec.schema());
    values.forEach(record::setField);
    PartitionKey key = new PartitionKey(spec, spec.schema());
    key.partition(new InternalRecordWrapper(spec.schema().asStruct()).wrap(record));
    return provider.newDataLocation(spec, key, "part-1.snappy.parquet");
  }

  private static String deltaLocation(Map<String, String> properties, String exchange) {
    Schema schema = LakeTables.ORDERBOOK_DELTA.schema();
    PartitionSpec spec =
        LakeTables.ORDERBOOK_DELTA.partitionSpec(schema, PartitionGranularity.HOUR);
    LakeLocationProvider provider =
        new LakeLocationProvider("s3://lake/wh/crypto/orderbook_delta", properties);
    return location(
        provider,
        spec,
        Map.of(
            "exchange",
            exchange,
            "market",
            "future",
            "symbol",
            "BTCUSDT",
            "timestamp",
            OffsetDateTime.parse("2025-08-05T13:00:00Z")));
  }

  @Test
  void anExchangeWithItsOwnDataRootHasItsFilesThere() {
    Map<String, String> properties =
        Map.of(
            LakeLocationProvider.DATA_ROOT,
            "s3://lake/wh/crypto",
            LakeLocationProvider.DATA_ROOT_PREFIX + "binance",
            "s3://lake-apne1/");

    assertThat(deltaLocation(properties, "binance"))
        .isEqualTo(
            "s3://lake-apne1/exchange=binance/market_type=future/data_type=orderbook_delta/"
                + "symbol=BTCUSDT/year=2025/month=08/day=05/hour=13/part-1.snappy.parquet");
  }

  @Test
  void anExchangeWithoutItsOwnDataRootUsesTheTablesRoot() {
    Map<String, String> properties =
        Map.of(
            LakeLocationProvider.DATA_ROOT,
            "s3://lake/wh/crypto",
            LakeLocationProvider.DATA_ROOT_PREFIX + "binance",
            "s3://lake-apne1/");

    assertThat(deltaLocation(properties, "okx")).startsWith("s3://lake/wh/crypto/exchange=okx/");
  }

  @Test
  void aMarketsDataRootOverridesItsExchanges() {
    Map<String, String> properties =
        Map.of(
            LakeLocationProvider.DATA_ROOT_PREFIX + "binance", "s3://lake-apne1",
            LakeLocationProvider.DATA_ROOT_PREFIX + "binance.future", "s3://lake-futures/x/");

    assertThat(deltaLocation(properties, "binance"))
        .startsWith("s3://lake-futures/x/exchange=binance/market_type=future/");
  }

  @Test
  void hourlyTablesGetTheFullSeedPath() {
    Schema schema = LakeTables.ORDERBOOK_DELTA.schema();
    PartitionSpec spec =
        LakeTables.ORDERBOOK_DELTA.partitionSpec(schema, PartitionGranularity.HOUR);
    LakeLocationProvider provider =
        new LakeLocationProvider(
            "s3://bucket/wh/crypto/orderbook_delta",
            Map.of(LakeLocationProvider.DATA_ROOT, "s3://crypto-lake/"));
    String path =
        location(
            provider,
            spec,
            Map.of(
                "exchange", "binance",
                "market", "future",
                "symbol", "BTCUSDT",
                "timestamp", OffsetDateTime.parse("2025-08-05T13:59:59.999999Z")));
    assertThat(path)
        .isEqualTo(
            "s3://crypto-lake/exchange=binance/market_type=future/data_type=orderbook_delta/"
                + "symbol=BTCUSDT/year=2025/month=08/day=05/hour=13/part-1.snappy.parquet");
  }

  @Test
  void dailyTablesWithoutSymbolStopAtTheDayAndDefaultToTheNamespaceFolder() {
    Schema schema = LakeTables.FUNDING_RATE.schema();
    PartitionSpec spec = LakeTables.FUNDING_RATE.partitionSpec(schema, PartitionGranularity.DAY);
    LakeLocationProvider provider =
        new LakeLocationProvider("/data/wh/crypto/funding_rate/", Map.of());
    String path =
        location(
            provider,
            spec,
            Map.of(
                "exchange",
                "okx",
                "market_type",
                "future",
                "timestamp",
                OffsetDateTime.parse("2024-02-29T00:00:00Z")));
    assertThat(path)
        .isEqualTo(
            "/data/wh/crypto/exchange=okx/market_type=future/data_type=funding_rate/"
                + "year=2024/month=02/day=29/part-1.snappy.parquet");
  }

  @Test
  void valuesAreEscapedSoThatNoneMakesAFolder() {
    assertThat(PathSegments.escape("XBT/USD")).isEqualTo("XBT%2FUSD");
    assertThat(PathSegments.escape("BTC-USDT-SWAP")).isEqualTo("BTC-USDT-SWAP");
    assertThat(PathSegments.escape("a=b c")).isEqualTo("a%3Db%20c");
    assertThat(PathSegments.escape("..")).isEqualTo("%2E%2E");
    assertThat(PathSegments.escape("")).isEqualTo(PathSegments.NULL_VALUE);
    assertThat(PathSegments.escape("币安")).isEqualTo("%E5%B8%81%E5%AE%89");
  }
}
