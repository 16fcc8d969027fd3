package dev.lake.core.layout;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.io.LocationProvider;

/**
 * Places data files in lake's Hive-style layout:
 *
 * <pre>
 * &lt;data root&gt;/exchange=&lt;e&gt;/market_type=&lt;m&gt;/data_type=&lt;table&gt;/symbol=&lt;s&gt;/year=YYYY/month=MM/day=DD/hour=HH/&lt;file&gt;
 * </pre>
 *
 * <p>Iceberg instantiates it from the table property {@code write.location-provider.impl} with the
 * table location and properties. It reads {@link #DATA_ROOT} (default: the folder holding the
 * table, i.e. the namespace's location) and {@link #DATA_TYPE} (default: the table folder's name).
 * Segments missing from the partition spec are left out (day-partitioned tables stop at {@code
 * day=}; tables without symbol have no {@code symbol=}); the delta table's {@code market} fills
 * {@code market_type=}. Values are escaped so that no value makes a folder.
 *
 * <p>Engines only need this class to write; reading uses the file paths in the manifests.
 */
public class LakeLocationProvider implements LocationProvider {
  private static final long serialVersionUID = 1L;

  /** Table property: the root folder of the layout. */
  public static final String DATA_ROOT = "lake.layout.data-root";

  /** Table property: the {@code data_type=} segment, the table's name. */
  public static final String DATA_TYPE = "lake.layout.data-type";

  private final String dataRoot;
  private final String dataType;

  public LakeLocationProvider(String tableLocation, Map<String, String> properties) {
    String table = stripTrailingSlash(tableLocation);
    int slash = table.lastIndexOf('/');
    String root = properties.get(DATA_ROOT);
    this.dataRoot = stripTrailingSlash(root != null ? root : table.substring(0, slash));
    String type = properties.get(DATA_TYPE);
    this.dataType = type != null ? type : table.substring(slash + 1);
  }

  @Override
  public String newDataLocation(String filename) {
    return dataRoot + "/data_type=" + PathSegments.escape(dataType) + "/" + filename;
  }

  @Override
  public String newDataLocation(PartitionSpec spec, StructLike partitionData, String filename) {
    return dataRoot + "/" + relativeFolder(spec, partitionData, dataType) + "/" + filename;
  }

  /**
   * The folder of a partition relative to the data root, e.g. {@code
   * exchange=binance/market_type=spot/data_type=orderbook_delta/symbol=BTCUSDT/year=2025/month=08/day=05/hour=13}.
   */
  public static String relativeFolder(
      PartitionSpec spec, StructLike partitionData, String dataType) {
    String exchange = null;
    String market = null;
    String symbol = null;
    String time = null;
    java.util.List<PartitionField> fields = spec.fields();
    for (int i = 0; i < fields.size(); i++) {
      PartitionField field = fields.get(i);
      String source = spec.schema().findColumnName(field.sourceId());
      Object value = partitionData.get(i, Object.class);
      String transform = field.transform().toString();
      if ("hour".equals(transform)) {
        time = hourPath(value);
      } else if ("day".equals(transform)) {
        time = dayPath(value);
      } else if ("exchange".equals(source)) {
        exchange = segment("exchange", value);
      } else if ("market_type".equals(source) || "market".equals(source)) {
        market = segment("market_type", value);
      } else if ("symbol".equals(source)) {
        symbol = segment("symbol", value);
      }
    }
    StringBuilder path = new StringBuilder(128);
    append(path, exchange);
    append(path, market);
    append(path, "data_type=" + PathSegments.escape(dataType));
    append(path, symbol);
    append(path, time);
    return path.toString();
  }

  private static void append(StringBuilder path, String segment) {
    if (segment != null) {
      if (path.length() > 0) {
        path.append('/');
      }
      path.append(segment);
    }
  }

  private static String segment(String name, Object value) {
    return name
        + "="
        + (value == null ? PathSegments.NULL_VALUE : PathSegments.escape(value.toString()));
  }

  private static String hourPath(Object hoursSinceEpoch) {
    if (hoursSinceEpoch == null) {
      return "hour=" + PathSegments.NULL_VALUE;
    }
    LocalDateTime time =
        LocalDateTime.ofEpochSecond(
            ((Number) hoursSinceEpoch).longValue() * 3600, 0, ZoneOffset.UTC);
    return String.format(
        "year=%04d/month=%02d/day=%02d/hour=%02d",
        time.getYear(), time.getMonthValue(), time.getDayOfMonth(), time.getHour());
  }

  private static String dayPath(Object daysSinceEpoch) {
    if (daysSinceEpoch == null) {
      return "day=" + PathSegments.NULL_VALUE;
    }
    LocalDateTime time =
        LocalDateTime.ofEpochSecond(
            ((Number) daysSinceEpoch).longValue() * 86400, 0, ZoneOffset.UTC);
    return String.format(
        "year=%04d/month=%02d/day=%02d",
        time.getYear(), time.getMonthValue(), time.getDayOfMonth());
  }

  private static String stripTrailingSlash(String path) {
    String result = path;
    while (result.endsWith("/") && !result.endsWith("://")) {
      result = result.substring(0, result.length() - 1);
    }
    return result;
  }
}
