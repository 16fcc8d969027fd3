package dev.lake.core.layout;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * table, i.e. the namespace's location), {@link #DATA_TYPE} (default: the table folder's name) and
 * every {@link #DATA_ROOT_PREFIX}{@code <key>}: the data root of the partitions of one exchange
 * ({@code binance}) or of one exchange's market ({@code binance.future}), which overrides the
 * exchange's, which overrides {@link #DATA_ROOT}. The roots are table properties so that every
 * engine writing with this class (Spark's maintenance, {@code lake compact}) places files alike.
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

  /**
   * Table property prefix: {@code lake.layout.data-root.<exchange>} or {@code
   * lake.layout.data-root.<exchange>.<market>} is the data root of that exchange's (market's)
   * partitions.
   */
  public static final String DATA_ROOT_PREFIX = DATA_ROOT + ".";

  private final String dataRoot;
  private final String dataType;
  private final HashMap<String, String> roots;

  public LakeLocationProvider(String tableLocation, Map<String, String> properties) {
    String table = stripTrailingSlash(tableLocation);
    int slash = table.lastIndexOf('/');
    this.dataRoot = defaultRoot(tableLocation, properties);
    String type = properties.get(DATA_TYPE);
    this.dataType = type != null ? type : table.substring(slash + 1);
    this.roots = new HashMap<>(rootsByKey(properties));
  }

  /**
   * The per-exchange (or per-market) data roots a table's properties set, by key ({@code binance},
   * {@code binance.future}), without trailing slashes.
   */
  public static Map<String, String> rootsByKey(Map<String, String> properties) {
    Map<String, String> roots = new TreeMap<>();
    properties.forEach(
        (key, value) -> {
          if (key.startsWith(DATA_ROOT_PREFIX) && key.length() > DATA_ROOT_PREFIX.length()) {
            roots.put(key.substring(DATA_ROOT_PREFIX.length()), stripTrailingSlash(value));
          }
        });
    return roots;
  }

  /**
   * Every root a table's data files can be under: {@link #DATA_ROOT} (or the namespace's location)
   * and each per-exchange root, without trailing slashes.
   */
  public static Set<String> allRoots(String tableLocation, Map<String, String> properties) {
    Set<String> all = new LinkedHashSet<>();
    all.add(defaultRoot(tableLocation, properties));
    all.addAll(rootsByKey(properties).values());
    return all;
  }

  private static String defaultRoot(String tableLocation, Map<String, String> properties) {
    String root = properties.get(DATA_ROOT);
    if (root != null) {
      return stripTrailingSlash(root);
    }
    String table = stripTrailingSlash(tableLocation);
    return table.substring(0, table.lastIndexOf('/'));
  }

  @Override
  public String newDataLocation(String filename) {
    return dataRoot + "/data_type=" + PathSegments.escape(dataType) + "/" + filename;
  }

  @Override
  public String newDataLocation(PartitionSpec spec, StructLike partitionData, String filename) {
    return rootOf(spec, partitionData)
        + "/"
        + relativeFolder(spec, partitionData, dataType)
        + "/"
        + filename;
  }

  /** The root of a partition: its exchange's market's, its exchange's, or the table's. */
  private String rootOf(PartitionSpec spec, StructLike partitionData) {
    if (roots.isEmpty()) {
      return dataRoot;
    }
    Object exchange = null;
    Object market = null;
    List<PartitionField> fields = spec.fields();
    for (int i = 0; i < fields.size(); i++) {
      String source = spec.schema().findColumnName(fields.get(i).sourceId());
      if ("exchange".equals(source)) {
        exchange = partitionData.get(i, Object.class);
      } else if ("market_type".equals(source) || "market".equals(source)) {
        market = partitionData.get(i, Object.class);
      }
    }
    if (exchange == null) {
      return dataRoot;
    }
    String root = market == null ? null : roots.get(exchange + "." + market);
    if (root == null) {
      root = roots.get(exchange.toString());
    }
    return root != null ? root : dataRoot;
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
    List<PartitionField> fields = spec.fields();
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
