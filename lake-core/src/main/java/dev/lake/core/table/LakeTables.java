package dev.lake.core.table;

import dev.lake.core.model.BookSide;
import dev.lake.core.model.Contract;
import dev.lake.core.model.FundingRate;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.Liquidation;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OpenInterest;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.core.model.SnapshotSource;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.model.Trade;
import dev.lake.core.model.TradeSide;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The tables lake writes, declared once: the Iceberg schemas, the Parquet writer's columns, the
 * write-ahead log's encoding and the read-back into rows ({@link dev.lake.core.read.TableRows}) all
 * follow from these declarations. Each column stores one component of the table's row record, by
 * default the one named as the column in camel case (with {@code Micros} or {@code Ms} for times),
 * or the one {@code field(...)} names; derived columns store nothing. A new column is a record
 * component and one declaration here; declare it last, and optional, so that logs written before it
 * are still read (with the column null).
 *
 * <p>The seed's columns keep the seed's names and types; the columns after {@code added()} are
 * lake's additions. Field ids follow the declared order from 1; nested fields (the snapshot's level
 * structs) come after the top-level ones, as Iceberg assigns them on creation. Each table's log
 * code (the third argument of its builder) is stable: never change or reuse one.
 */
public final class LakeTables {
  private static final String EXCHANGE_DOC = "Venue, lower case: binance, bybit, okx, ...";
  private static final String MARKET_DOC = "spot, or future for every derivative market";
  private static final String SYMBOL_DOC = "The venue's own symbol text";
  private static final String TIMESTAMP_MS_DOC = "Exchange time, epoch milliseconds";
  private static final String TIMESTAMP_DOC =
      "Exchange time (receive time where the venue gives none)";
  private static final String LOCAL_DOC = "Receive time in lake";

  public static final TableDefinition<OrderBookSnapshot> ORDERBOOK_SNAPSHOT =
      TableDefinition.builder(
              OrderBookSnapshot.TABLE,
              OrderBookSnapshot.class,
              0,
              "One row per order book snapshot")
          .requiredText("exchange", OrderBookSnapshot::exchange, EXCHANGE_DOC)
          .requiredEnum("market_type", MarketType.class, OrderBookSnapshot::marketType, MARKET_DOC)
          .requiredText("symbol", OrderBookSnapshot::symbol, SYMBOL_DOC)
          .requiredLong("timestamp_ms", OrderBookSnapshot::timestampMs, TIMESTAMP_MS_DOC)
          .requiredLevels("bids", 11, 12, 13, OrderBookSnapshot::bids, "Bid levels, best first")
          .requiredLevels("asks", 14, 15, 16, OrderBookSnapshot::asks, "Ask levels, best first")
          .added()
          .derivedTime("timestamp", row -> row.timestampMs() * 1000L, "timestamp_ms as a timestamp")
          .requiredTime("local_timestamp", OrderBookSnapshot::localTimestampMicros, LOCAL_DOC)
          .optionalLong(
              "last_update_id",
              OrderBookSnapshot::lastUpdateId,
              "The book sequence id the snapshot is consistent with")
          .requiredEnum(
              "source",
              SnapshotSource.class,
              OrderBookSnapshot::source,
              "rest: polled from the venue; book: from the validated local book")
          .partitionedBy("exchange", "market_type", "symbol")
          .granularity(PartitionGranularity.HOUR)
          .build();

  public static final TableDefinition<OrderBookDelta> ORDERBOOK_DELTA =
      TableDefinition.builder(
              OrderBookDelta.TABLE,
              OrderBookDelta.class,
              1,
              "One row per changed price level of a book update, or per level of a book (re)load")
          .requiredText("exchange", OrderBookDelta::exchange, EXCHANGE_DOC)
          .requiredEnum("market", MarketType.class, OrderBookDelta::market, MARKET_DOC)
          .requiredText("symbol", OrderBookDelta::symbol, SYMBOL_DOC)
          .requiredTime("timestamp", OrderBookDelta::timestampMicros, "Exchange event time")
          .requiredLong(
              "last_update_id",
              OrderBookDelta::lastUpdateId,
              "Last sequence id the message covers (Binance u)")
          .requiredEnum("side", BookSide.class, OrderBookDelta::side, "bid or ask")
          .requiredDouble("price", OrderBookDelta::price, "Level price")
          .requiredDouble(
              "quantity", OrderBookDelta::quantity, "New absolute quantity; 0 removes the level")
          // quantities repeat little within a streamed file, where a dictionary in every open
          // file would cost time and memory, but over a book's hour they do (lot sizes)
          .encoded(ColumnEncoding.DICTIONARY_WHEN_COMPACTED)
          .requiredInt(
              "level",
              OrderBookDelta::level,
              "0-based position of the level within its side in the message")
          // 0, 1, 2, ... within each message
          .encoded(ColumnEncoding.DELTA)
          .added()
          .requiredTime("local_timestamp", OrderBookDelta::localTimestampMicros, LOCAL_DOC)
          .optionalLong(
              "first_update_id",
              OrderBookDelta::firstUpdateId,
              "First sequence id the message covers (Binance U)")
          .optionalLong(
              "prev_update_id",
              OrderBookDelta::prevUpdateId,
              "Previous message's last id as the venue states it (Binance futures pu)")
          .requiredBoolean(
              "is_snapshot",
              OrderBookDelta::isSnapshot,
              "True for rows that load a full book (initial snapshot and every resync)")
          .partitionedBy("exchange", "market", "symbol")
          .granularity(PartitionGranularity.HOUR)
          .build();

  public static final TableDefinition<Contract> CONTRACTS =
      TableDefinition.builder(
              Contract.TABLE, Contract.class, 2, "One row per instrument per listing")
          .requiredText("exchange", Contract::exchange, EXCHANGE_DOC)
          .requiredText("symbol", Contract::symbol, SYMBOL_DOC)
          .optionalText(
              "contract_code",
              Contract::contractCode,
              "The venue's contract code where it differs from the symbol")
          .optionalText(
              "contract_type", Contract::contractType, "PERPETUAL, CURRENT_QUARTER, SPOT, ...")
          .requiredText("base_asset", Contract::baseAsset, "Base asset")
          .requiredText("quote_asset", Contract::quoteAsset, "Quote asset")
          .requiredDouble("tick_size", Contract::tickSize, "Price increment")
          .optionalDouble(
              "contract_size", Contract::contractSize, "Size of one contract in the venue's unit")
          .requiredLong("timestamp_ms", Contract::timestampMs, TIMESTAMP_MS_DOC)
          .added()
          .requiredEnum("market_type", MarketType.class, Contract::marketType, MARKET_DOC)
          .derivedTime("timestamp", row -> row.timestampMs() * 1000L, TIMESTAMP_DOC)
          .requiredTime("local_timestamp", Contract::localTimestampMicros, LOCAL_DOC)
          .partitionedBy("exchange", "market_type")
          .build();

  public static final TableDefinition<Liquidation> LIQUIDATION =
      TableDefinition.builder(
              Liquidation.TABLE, Liquidation.class, 3, "One row per liquidation order")
          .requiredText("exchange", Liquidation::exchange, EXCHANGE_DOC)
          .requiredEnum("market_type", MarketType.class, Liquidation::marketType, MARKET_DOC)
          .requiredText("symbol", Liquidation::symbol, SYMBOL_DOC)
          .requiredEnum(
              "side",
              TradeSide.class,
              Liquidation::side,
              "Side of the liquidation order: sell = a long was liquidated, buy = a short was")
          .requiredDouble("price", Liquidation::price, "Order price")
          .requiredDouble("quantity", Liquidation::quantity, "Order quantity")
          .requiredLong(
              "timestamp_ms",
              Liquidation::timestampMs,
              "The liquidation's trade time, epoch milliseconds")
          .added()
          .derivedTime("timestamp", row -> row.timestampMs() * 1000L, TIMESTAMP_DOC)
          .requiredTime("local_timestamp", Liquidation::localTimestampMicros, LOCAL_DOC)
          .partitionedBy("exchange", "market_type")
          .build();

  public static final TableDefinition<OpenInterest> OPEN_INTEREST =
      TableDefinition.builder(
              OpenInterest.TABLE, OpenInterest.class, 4, "One row per open interest reading")
          .requiredText("exchange", OpenInterest::exchange, EXCHANGE_DOC)
          .requiredText("symbol", OpenInterest::symbol, SYMBOL_DOC)
          .requiredDouble(
              "open_interest", OpenInterest::openInterest, "Open interest in the venue's unit")
          .requiredLong("timestamp_ms", OpenInterest::timestampMs, TIMESTAMP_MS_DOC)
          .added()
          .requiredEnum("market_type", MarketType.class, OpenInterest::marketType, MARKET_DOC)
          .derivedTime("timestamp", row -> row.timestampMs() * 1000L, TIMESTAMP_DOC)
          .requiredTime("local_timestamp", OpenInterest::localTimestampMicros, LOCAL_DOC)
          .partitionedBy("exchange", "market_type")
          .build();

  public static final TableDefinition<FundingRate> FUNDING_RATE =
      TableDefinition.builder(
              FundingRate.TABLE, FundingRate.class, 5, "One row per funding reading")
          .requiredText("exchange", FundingRate::exchange, EXCHANGE_DOC)
          .requiredText("symbol", FundingRate::symbol, SYMBOL_DOC)
          .requiredDouble("funding_rate", FundingRate::fundingRate, "Rate, a fraction")
          .requiredTimeOfMillis(
              "funding_time",
              FundingRate::fundingTimeMs,
              "The funding settlement the rate applies to")
          .requiredLong("timestamp_ms", FundingRate::timestampMs, TIMESTAMP_MS_DOC)
          .added()
          .requiredEnum("market_type", MarketType.class, FundingRate::marketType, MARKET_DOC)
          .derivedTime("timestamp", row -> row.timestampMs() * 1000L, TIMESTAMP_DOC)
          .requiredTime("local_timestamp", FundingRate::localTimestampMicros, LOCAL_DOC)
          .partitionedBy("exchange", "market_type")
          .build();

  public static final TableDefinition<StreamEvent> STREAM_EVENTS =
      TableDefinition.builder(
              StreamEvent.TABLE,
              StreamEvent.class,
              6,
              "The data-quality ledger: one row per event that bears on completeness")
          .added()
          .requiredText("exchange", StreamEvent::exchange, EXCHANGE_DOC + ", or lake")
          .requiredText("market_type", StreamEvent::marketType, MARKET_DOC + ", or all")
          // was data_type, the name of a path segment: Hive-partitioned readers replaced its
          // values with the segment's (stream_events)
          .requiredText(
              "feed",
              StreamEvent::dataType,
              "The feed the event concerns, named by its table (orderbook_delta, ...), or all")
          .field("dataType")
          .formerly("data_type")
          .optionalText("symbol", StreamEvent::symbol, SYMBOL_DOC)
          .requiredEnum(
              "event",
              StreamEventType.class,
              StreamEvent::event,
              "connect, disconnect, gap, resync, checksum_mismatch, rejected_message,"
                  + " rate_limited, dropped, restart_gap, wal_truncated")
          .optionalText("detail", StreamEvent::detail, "Free text")
          .optionalLong(
              "from_update_id",
              StreamEvent::fromUpdateId,
              "First update id known missing or unverified")
          .optionalLong(
              "to_update_id",
              StreamEvent::toUpdateId,
              "Last update id known missing or unverified (inclusive)")
          .requiredTime("timestamp", StreamEvent::timestampMicros, "When it happened")
          .requiredTime("local_timestamp", StreamEvent::localTimestampMicros, "When lake saw it")
          .partitionedBy("exchange", "market_type")
          .build();

  public static final TableDefinition<Trade> TRADES =
      TableDefinition.builder(Trade.TABLE, Trade.class, 7, "One row per public trade")
          .added()
          .requiredText("exchange", Trade::exchange, EXCHANGE_DOC)
          .requiredEnum("market_type", MarketType.class, Trade::marketType, MARKET_DOC)
          .requiredText("symbol", Trade::symbol, SYMBOL_DOC)
          .requiredText("trade_id", Trade::tradeId, "The venue's trade id, as text")
          // ids are unique: a dictionary would fill and fall back
          .encoded(ColumnEncoding.PLAIN)
          .requiredEnum(
              "side", TradeSide.class, Trade::side, "The taker's side: buy (lifted an ask) or sell")
          .requiredDouble("price", Trade::price, "Trade price")
          .requiredDouble("quantity", Trade::quantity, "Trade quantity in the venue's unit")
          .encoded(ColumnEncoding.DICTIONARY_WHEN_COMPACTED)
          .requiredTime("timestamp", Trade::timestampMicros, "Trade time")
          .requiredTime("local_timestamp", Trade::localTimestampMicros, LOCAL_DOC)
          .partitionedBy("exchange", "market_type", "symbol")
          .granularity(PartitionGranularity.HOUR)
          .build();

  private static final List<TableDefinition<?>> ALL =
      List.of(
          ORDERBOOK_SNAPSHOT,
          ORDERBOOK_DELTA,
          CONTRACTS,
          LIQUIDATION,
          OPEN_INTEREST,
          FUNDING_RATE,
          STREAM_EVENTS,
          TRADES);

  private static final Map<String, TableDefinition<?>> BY_NAME =
      ALL.stream()
          .collect(Collectors.toUnmodifiableMap(TableDefinition::name, Function.identity()));

  private LakeTables() {}

  /** Every table, in a stable order. */
  public static List<TableDefinition<?>> all() {
    return ALL;
  }

  /** The table names, in the order of {@link #all()}. */
  public static List<String> names() {
    return ALL.stream().map(TableDefinition::name).toList();
  }

  /**
   * The definition of a table by name.
   *
   * @throws IllegalArgumentException naming the value and the valid names
   */
  public static TableDefinition<?> byName(String name) {
    TableDefinition<?> definition = BY_NAME.get(name);
    if (definition == null) {
      throw new IllegalArgumentException(
          "Invalid table name: " + name + " (expected one of " + String.join(", ", names()) + ")");
    }
    return definition;
  }

  /** The definition of the table a row belongs to. */
  @SuppressWarnings("unchecked")
  public static <R extends LakeRow> TableDefinition<R> of(R row) {
    return (TableDefinition<R>) BY_NAME.get(row.tableName());
  }
}
