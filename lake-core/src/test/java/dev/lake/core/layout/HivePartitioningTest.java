package dev.lake.core.layout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.TestCatalogs;
import dev.lake.core.TestRows;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.write.LakeWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers of plain Parquet with Hive partitioning (DuckDB's default for such paths) replace a
 * column with the value of the path segment of the same name: the layout must never name a segment
 * like a column that holds anything else.
 */
class HivePartitioningTest {
  private static final List<String> SEGMENTS =
      List.of("exchange", "market_type", "data_type", "symbol", "year", "month", "day", "hour");

  @TempDir Path warehouse;

  private void write(List<? extends LakeRow> rows) {
    try (LakeWriter writer =
        LakeWriter.builder(TestCatalogs.sqlite(warehouse)).withoutWriteAheadLog().build()) {
      writer.append(rows);
    }
  }

  private static StreamEvent gap(String feed, long id) {
    long micros = (TestRows.BASE_MS + id) * 1000;
    return new StreamEvent(
        "binance",
        "future",
        feed,
        "BTCUSDT",
        StreamEventType.GAP,
        null,
        id,
        id,
        micros,
        micros + 5);
  }

  @Test
  void duckDbWithHivePartitioningReadsTheRealFeedOfStreamEvents() throws SQLException {
    write(
        List.of(
            gap("orderbook_delta", 1),
            gap("orderbook_delta", 2),
            gap("orderbook_snapshot", 3),
            gap(StreamEvent.ALL, 4)));

    Map<String, Long> gapsPerFeed = new LinkedHashMap<>();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duck.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT feed, count(*) FROM read_parquet('"
                    + warehouse.toAbsolutePath()
                    + "/crypto/exchange=*/market_type=*/data_type=stream_events/**/*.parquet',"
                    + " hive_partitioning = true) WHERE event = 'gap' GROUP BY feed ORDER BY feed")) {
      while (result.next()) {
        gapsPerFeed.put(result.getString(1), result.getLong(2));
      }
    }

    assertThat(gapsPerFeed)
        .containsExactly(
            Map.entry("all", 1L),
            Map.entry("orderbook_delta", 2L),
            Map.entry("orderbook_snapshot", 1L));
  }

  @Test
  void everyColumnNamedLikeAPathSegmentHoldsThatSegmentsValue() throws Exception {
    List<LakeRow> rows = new ArrayList<>(TestRows.oneOfEach());
    rows.add(
        new OrderBookDelta(
            "kraken",
            MarketType.SPOT,
            "XBT/USD",
            TestRows.BASE_MS * 1000,
            1,
            dev.lake.core.model.BookSide.BID,
            60000,
            1,
            0,
            TestRows.BASE_MS * 1000 + 1,
            null,
            null,
            true));
    write(rows);

    Set<String> tablesSeen = new HashSet<>();
    Path root = warehouse.resolve("crypto");
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(path -> path.toString().endsWith(".parquet")).toList()) {
        Map<String, String> segments = segments(root.relativize(file));
        TableDefinition<?> table = LakeTables.byName(segments.get("data_type"));
        tablesSeen.add(table.name());
        for (Map.Entry<String, String> segment : segments.entrySet()) {
          if (table.schema().findField(segment.getKey()) != null) {
            assertThat(distinctValues(duck, file, segment.getKey()))
                .as("column %s of %s in %s", segment.getKey(), table.name(), file)
                .containsExactly(segment.getValue());
          }
        }
      }
    }
    assertThat(tablesSeen).containsExactlyInAnyOrderElementsOf(LakeTables.names());
  }

  /** The {@code name=value} segments of a path below the data root, values unescaped. */
  private static Map<String, String> segments(Path relative) {
    Map<String, String> segments = new LinkedHashMap<>();
    for (Path part : relative.getParent()) {
      String text = part.toString();
      int equals = text.indexOf('=');
      assertThat(equals).as("segment %s of %s", text, relative).isPositive();
      String name = text.substring(0, equals);
      assertThat(SEGMENTS).as("segment names").contains(name);
      segments.put(name, unescape(text.substring(equals + 1)));
    }
    return segments;
  }

  private static String unescape(String value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%') {
        bytes.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** The column's values as the file holds them: read without Hive partitioning. */
  private static List<String> distinctValues(Connection duck, Path file, String column)
      throws SQLException {
    List<String> values = new ArrayList<>();
    try (Statement statement = duck.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT DISTINCT CAST(\""
                    + column
                    + "\" AS VARCHAR) FROM read_parquet('"
                    + file.toAbsolutePath()
                    + "', hive_partitioning = false)")) {
      while (result.next()) {
        values.add(result.getString(1));
      }
    }
    return values;
  }
}
