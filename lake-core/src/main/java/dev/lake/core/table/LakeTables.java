package dev.lake.core.table;

import dev.lake.core.model.Contract;
import dev.lake.core.model.FundingRate;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.Liquidation;
import dev.lake.core.model.OpenInterest;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.core.model.StreamEvent;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.iceberg.types.Types;

/**
 * The seven tables lake writes, declared once. The seed's columns keep the seed's names and types;
 * the columns after {@code added()} are lake's additions. Field ids follow the declared order from
 * 1; nested fields (the snapshot's level structs) come after the top-level ones, as Iceberg assigns
 * them on creation.
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
              OrderBookSnapshot.TABLE, OrderBookSnapshot.class, "One row per order book snapshot")
          .required("exchange", Types.StringType.get(), OrderBookSnapshot::exchange, EXCHANGE_DOC)
          .required(
              "market_type", Types.StringType.get(), row -> row.marketType().text(), MARKET_DOC)
          .required("symbol", Types.StringType.get(), OrderBookSnapshot::symbol, SYMBOL_DOC)
          .required(
              "timestamp_ms",
              Types.LongType.get(),
              OrderBookSnapshot::timestampMs,
              TIMESTAMP_MS_DOC)
          .required(
              "bids",
              levels(11, 12, 13),
              row -> PriceLevelStruct.listOf(row.bids()),
              "Bid levels, best first")
          .required(
              "asks",
              levels(14, 15, 16),
              row -> PriceLevelStruct.listOf(row.asks()),
              "Ask levels, best first")
          .added()
          .required(
              "timestamp",
              Types.TimestampType.withZone(),
              row -> row.timestampMs() * 1000L,
              "timestamp_ms as a timestamp")
          .required(
              "local_timestamp",
              Types.TimestampType.withZone(),
              OrderBookSnapshot::localTimestampMicros,
              LOCAL_DOC)
          .optional(
              "last_update_id",
              Types.LongType.get(),
              OrderBookSnapshot::lastUpdateId,
              "The book sequence id the snapshot is consistent with")
          .required(
              "source",
              Types.StringType.get(),
              row -> row.source().text(),
              "rest: polled from the venue; book: from the validated local book")
          .partitionedBy("exchange", "market_type", "symbol")
          .granularity(PartitionGranularity.HOUR)
          .build();

  public static final TableDefinition<OrderBookDelta> ORDERBOOK_DELTA =
      TableDefinition.builder(
              OrderBookDelta.TABLE,
              OrderBookDelta.class,
              "One row per changed price level of a book update, or per level of a book (re)load")
          .required("exchange", Types.StringType.get(), OrderBookDelta::exchange, EXCHANGE_DOC)
          .required("market", Types.StringType.get(), row -> row.market().text(), MARKET_DOC)
          .required("symbol", Types.StringType.get(), OrderBookDelta::symbol, SYMBOL_DOC)
          .required(
              "timestamp",
              Types.TimestampType.withZone(),
              OrderBookDelta::timestampMicros,
              "Exchange event time")
          .required(
              "last_update_id",
              Types.LongType.get(),
              OrderBookDelta::lastUpdateId,
              "Last sequence id the message covers (Binance u)")
          .required("side", Types.StringType.get(), row -> row.side().text(), "bid or ask")
          .required("price", Types.DoubleType.get(), OrderBookDelta::price, "Level price")
          .required(
              "quantity",
              Types.DoubleType.get(),
              OrderBookDelta::quantity,
              "New absolute quantity; 0 removes the level")
          .required(
              "level",
              Types.IntegerType.get(),
              OrderBookDelta::level,
              "0-based position of the level within its side in the message")
          .added()
          .required(
              "local_timestamp",
              Types.TimestampType.withZone(),
              OrderBookDelta::localTimestampMicros,
              LOCAL_DOC)
          .optional(
              "first_update_id",
              Types.LongType.get(),
              OrderBookDelta::firstUpdateId,
              "First sequence id the message covers (Binance U)")
          .optional(
              "prev_update_id",
              Types.LongType.get(),
              OrderBookDelta::prevUpdateId,
              "Previous message's last id as the venue states it (Binance futures pu)")
          .required(
              "is_snapshot",
              Types.BooleanType.get(),
              OrderBookDelta::isSnapshot,
              "True for rows that load a full book (initial snapshot and every resync)")
          .partitionedBy("exchange", "market", "symbol")
          .granularity(PartitionGranularity.HOUR)
          .build();

  public static final TableDefinition<Contract> CONTRACTS =
      TableDefinition.builder(Contract.TABLE, Contract.class, "One row per instrument per listing")
          .required("exchange", Types.StringType.get(), Contract::exchange, EXCHANGE_DOC)
          .required("symbol", Types.StringType.get(), Contract::symbol, SYMBOL_DOC)
          .optional(
              "contract_code",
              Types.StringType.get(),
              Contract::contractCode,
              "The venue's contract code where it differs from the symbol")
          .optional(
              "contract_type",
              Types.StringType.get(),
              Contract::contractType,
              "PERPETUAL, CURRENT_QUARTER, SPOT, ...")
          .required("base_asset", Types.StringType.get(), Contract::baseAsset, "Base asset")
          .required("quote_asset", Types.StringType.get(), Contract::quoteAsset, "Quote asset")
          .required("tick_size", Types.DoubleType.get(), Contract::tickSize, "Price increment")
          .optional(
              "contract_size",
              Types.DoubleType.get(),
              Contract::contractSize,
              "Size of one contract in the venue's unit")
          .required("timestamp_ms", Types.LongType.get(), Contract::timestampMs, TIMESTAMP_MS_DOC)
          .added()
          .required(
              "market_type", Types.StringType.get(), row -> row.marketType().text(), MARKET_DOC)
          .required(
              "timestamp",
              Types.TimestampType.withZone(),
              row -> row.timestampMs() * 1000L,
              TIMESTAMP_DOC)
          .required(
              "local_timestamp",
              Types.TimestampType.withZone(),
              Contract::localTimestampMicros,
              LOCAL_DOC)
          .partitionedBy("exchange", "market_type")
          .build();

  public static final TableDefinition<Liquidation> LIQUIDATION =
      TableDefinition.builder(Liquidation.TABLE, Liquidation.class, "One row per liquidation order")
          .required("exchange", Types.StringType.get(), Liquidation::exchange, EXCHANGE_DOC)
          .required(
              "market_type", Types.StringType.get(), row -> row.marketType().text(), MARKET_DOC)
          .required("symbol", Types.StringType.get(), Liquidation::symbol, SYMBOL_DOC)
          .required(
              "side",
              Types.StringType.get(),
              row -> row.side().text(),
              "Side of the liquidation order: sell = a long was liquidated, buy = a short was")
          .required("price", Types.DoubleType.get(), Liquidation::price, "Order price")
          .required("quantity", Types.DoubleType.get(), Liquidation::quantity, "Order quantity")
          .required(
              "timestamp_ms",
              Types.LongType.get(),
              Liquidation::timestampMs,
              "The liquidation's trade time, epoch milliseconds")
          .added()
          .required(
              "timestamp",
              Types.TimestampType.withZone(),
              row -> row.timestampMs() * 1000L,
              TIMESTAMP_DOC)
          .required(
              "local_timestamp",
              Types.TimestampType.withZone(),
              Liquidation::localTimestampMicros,
              LOCAL_DOC)
          .partitionedBy("exchange", "market_type")
          .build();

  public static final TableDefinition<OpenInterest> OPEN_INTEREST =
      TableDefinition.builder(
              OpenInterest.TABLE, OpenInterest.class, "One row per open interest reading")
          .required("exchange", Types.StringType.get(), OpenInterest::exchange, EXCHANGE_DOC)
          .required("symbol", Types.StringType.get(), OpenInterest::symbol, SYMBOL_DOC)
          .required(
              "open_interest",
              Types.DoubleType.get(),
              OpenInterest::openInterest,
              "Open interest in the venue's unit")
          .required(
              "timestamp_ms", Types.LongType.get(), OpenInterest::timestampMs, TIMESTAMP_MS_DOC)
          .added()
          .required(
              "market_type", Types.StringType.get(), row -> row.marketType().text(), MARKET_DOC)
          .required(
              "timestamp",
              Types.TimestampType.withZone(),
              row -> row.timestampMs() * 1000L,
              TIMESTAMP_DOC)
          .required(
              "local_timestamp",
              Types.TimestampType.withZone(),
              OpenInterest::localTimestampMicros,
              LOCAL_DOC)
          .partitionedBy("exchange", "market_type")
          .build();

  public static final TableDefinition<FundingRate> FUNDING_RATE =
      TableDefinition.builder(FundingRate.TABLE, FundingRate.class, "One row per funding reading")
          .required("exchange", Types.StringType.get(), FundingRate::exchange, EXCHANGE_DOC)
          .required("symbol", Types.StringType.get(), FundingRate::symbol, SYMBOL_DOC)
          .required(
              "funding_rate", Types.DoubleType.get(), FundingRate::fundingRate, "Rate, a fraction")
          .required(
              "funding_time",
              Types.TimestampType.withZone(),
              row -> row.fundingTimeMs() * 1000L,
              "The funding settlement the rate applies to")
          .required(
              "timestamp_ms", Types.LongType.get(), FundingRate::timestampMs, TIMESTAMP_MS_DOC)
          .added()
          .required(
              "market_type", Types.StringType.get(), row -> row.marketType().text(), MARKET_DOC)
          .required(
              "timestamp",
              Types.TimestampType.withZone(),
              row -> row.timestampMs() * 1000L,
              TIMESTAMP_DOC)
          .required(
              "local_timestamp",
              Types.TimestampType.withZone(),
              FundingRate::localTimestampMicros,
              LOCAL_DOC)
          .partitionedBy("exchange", "market_type")
          .build();

  public static final TableDefinition<StreamEvent> STREAM_EVENTS =
      TableDefinition.builder(
              StreamEvent.TABLE,
              StreamEvent.class,
              "The data-quality ledger: one row per event that bears on completeness")
          .added()
          .required(
              "exchange", Types.StringType.get(), StreamEvent::exchange, EXCHANGE_DOC + ", or lake")
          .required(
              "market_type",
              Types.StringType.get(),
              StreamEvent::marketType,
              MARKET_DOC + ", or all")
          .required(
              "data_type",
              Types.StringType.get(),
              StreamEvent::dataType,
              "The table the event concerns, or all")
          .optional("symbol", Types.StringType.get(), StreamEvent::symbol, SYMBOL_DOC)
          .required(
              "event",
              Types.StringType.get(),
              row -> row.event().text(),
              "connect, disconnect, gap, resync, checksum_mismatch, rejected_message,"
                  + " rate_limited, dropped, restart_gap, wal_truncated")
          .optional("detail", Types.StringType.get(), StreamEvent::detail, "Free text")
          .optional(
              "from_update_id",
              Types.LongType.get(),
              StreamEvent::fromUpdateId,
              "First update id known missing or unverified")
          .optional(
              "to_update_id",
              Types.LongType.get(),
              StreamEvent::toUpdateId,
              "Last update id known missing or unverified (inclusive)")
          .required(
              "timestamp",
              Types.TimestampType.withZone(),
              StreamEvent::timestampMicros,
              "When it happened")
          .required(
              "local_timestamp",
              Types.TimestampType.withZone(),
              StreamEvent::localTimestampMicros,
              "When lake saw it")
          .partitionedBy("exchange", "market_type")
          .build();

  private static final List<TableDefinition<?>> ALL =
      List.of(
          ORDERBOOK_SNAPSHOT,
          ORDERBOOK_DELTA,
          CONTRACTS,
          LIQUIDATION,
          OPEN_INTEREST,
          FUNDING_RATE,
          STREAM_EVENTS);

  private static final Map<String, TableDefinition<?>> BY_NAME =
      ALL.stream()
          .collect(Collectors.toUnmodifiableMap(TableDefinition::name, Function.identity()));

  private LakeTables() {}

  /** The seven tables, in a stable order. */
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

  private static Types.ListType levels(int elementId, int priceId, int quantityId) {
    return Types.ListType.ofRequired(
        elementId,
        Types.StructType.of(
            Types.NestedField.required(priceId, "price", Types.DoubleType.get()),
            Types.NestedField.required(quantityId, "quantity", Types.DoubleType.get())));
  }
}
