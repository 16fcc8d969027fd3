package dev.lake.core.read;

import dev.lake.core.model.BookSide;
import dev.lake.core.model.Contract;
import dev.lake.core.model.FundingRate;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.Liquidation;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OpenInterest;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.core.model.PriceLevel;
import dev.lake.core.model.SnapshotSource;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.model.Trade;
import dev.lake.core.model.TradeSide;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Reads a lake table back as lake's row types, with Iceberg's generic reader. Meant for tools and
 * checks (rebuilding a book, verifying a period), not for analytics: query engines read the tables
 * faster.
 */
public final class TableRows {
  private TableRows() {}

  /** Every row of a table. */
  public static List<LakeRow> readAll(Table table) {
    return read(table, Expressions.alwaysTrue());
  }

  /** The rows of a table matching a filter (Iceberg expression on the table's columns). */
  public static List<LakeRow> read(Table table, Expression filter) {
    List<LakeRow> rows = new ArrayList<>();
    forEach(table, filter, rows::add);
    return rows;
  }

  /** Streams the rows of a table matching a filter to a consumer, in file order. */
  public static void forEach(Table table, Expression filter, Consumer<LakeRow> consumer) {
    String name = table.name();
    String tableName = name.substring(name.lastIndexOf('.') + 1);
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).where(filter).build()) {
      for (Record record : records) {
        consumer.accept(toRow(tableName, record));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + name, e);
    }
  }

  /** Converts a generic record of a lake table into its row type. */
  public static LakeRow toRow(String tableName, Record r) {
    return switch (tableName) {
      case OrderBookSnapshot.TABLE ->
          new OrderBookSnapshot(
              str(r, "exchange"),
              market(r, "market_type"),
              str(r, "symbol"),
              lng(r, "timestamp_ms"),
              levels(r, "bids"),
              levels(r, "asks"),
              micros(r, "local_timestamp"),
              (Long) r.getField("last_update_id"),
              SnapshotSource.valueOf(upper(r, "source")));
      case OrderBookDelta.TABLE ->
          new OrderBookDelta(
              str(r, "exchange"),
              market(r, "market"),
              str(r, "symbol"),
              micros(r, "timestamp"),
              lng(r, "last_update_id"),
              BookSide.valueOf(upper(r, "side")),
              dbl(r, "price"),
              dbl(r, "quantity"),
              (Integer) r.getField("level"),
              micros(r, "local_timestamp"),
              (Long) r.getField("first_update_id"),
              (Long) r.getField("prev_update_id"),
              Boolean.TRUE.equals(r.getField("is_snapshot")));
      case Contract.TABLE ->
          new Contract(
              str(r, "exchange"),
              market(r, "market_type"),
              str(r, "symbol"),
              str(r, "contract_code"),
              str(r, "contract_type"),
              str(r, "base_asset"),
              str(r, "quote_asset"),
              dbl(r, "tick_size"),
              (Double) r.getField("contract_size"),
              lng(r, "timestamp_ms"),
              micros(r, "local_timestamp"));
      case Trade.TABLE ->
          new Trade(
              str(r, "exchange"),
              market(r, "market_type"),
              str(r, "symbol"),
              str(r, "trade_id"),
              TradeSide.valueOf(upper(r, "side")),
              dbl(r, "price"),
              dbl(r, "quantity"),
              micros(r, "timestamp"),
              micros(r, "local_timestamp"));
      case Liquidation.TABLE ->
          new Liquidation(
              str(r, "exchange"),
              market(r, "market_type"),
              str(r, "symbol"),
              TradeSide.valueOf(upper(r, "side")),
              dbl(r, "price"),
              dbl(r, "quantity"),
              lng(r, "timestamp_ms"),
              micros(r, "local_timestamp"));
      case OpenInterest.TABLE ->
          new OpenInterest(
              str(r, "exchange"),
              market(r, "market_type"),
              str(r, "symbol"),
              dbl(r, "open_interest"),
              lng(r, "timestamp_ms"),
              micros(r, "local_timestamp"));
      case FundingRate.TABLE ->
          new FundingRate(
              str(r, "exchange"),
              market(r, "market_type"),
              str(r, "symbol"),
              dbl(r, "funding_rate"),
              micros(r, "funding_time") / 1000,
              lng(r, "timestamp_ms"),
              micros(r, "local_timestamp"));
      case StreamEvent.TABLE ->
          new StreamEvent(
              str(r, "exchange"),
              str(r, "market_type"),
              str(r, "feed"),
              str(r, "symbol"),
              StreamEventType.valueOf(upper(r, "event")),
              str(r, "detail"),
              (Long) r.getField("from_update_id"),
              (Long) r.getField("to_update_id"),
              micros(r, "timestamp"),
              micros(r, "local_timestamp"));
      default -> throw new IllegalArgumentException("Invalid table name: " + tableName);
    };
  }

  private static String str(Record r, String field) {
    Object value = r.getField(field);
    return value == null ? null : value.toString();
  }

  private static String upper(Record r, String field) {
    return str(r, field).toUpperCase(Locale.ROOT);
  }

  private static MarketType market(Record r, String field) {
    return MarketType.fromText(str(r, field));
  }

  private static long lng(Record r, String field) {
    return (Long) r.getField(field);
  }

  private static double dbl(Record r, String field) {
    return (Double) r.getField(field);
  }

  private static long micros(Record r, String field) {
    OffsetDateTime time = (OffsetDateTime) r.getField(field);
    return ChronoUnit.MICROS.between(java.time.Instant.EPOCH, time.toInstant());
  }

  private static List<PriceLevel> levels(Record r, String field) {
    @SuppressWarnings("unchecked")
    List<Record> values = (List<Record>) r.getField(field);
    List<PriceLevel> levels = new ArrayList<>(values.size());
    for (Record level : values) {
      levels.add(
          new PriceLevel((Double) level.getField("price"), (Double) level.getField("quantity")));
    }
    return levels;
  }
}
