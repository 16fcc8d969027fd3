package dev.lake.core.internal.wal;

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
import java.util.ArrayList;
import java.util.List;

/**
 * Reads log records of format 1, the format of the releases before records carried a format
 * version: each row's fields in a fixed order per row type, enums as {@link Enum#ordinal()}.
 * Frozen: the ordinals below are the enums' constants in the order those releases declared them,
 * whatever the enums declare now.
 */
final class RowCodecV1 {
  private static final int SNAPSHOT = 0;
  private static final int DELTA = 1;
  private static final int CONTRACT = 2;
  private static final int LIQUIDATION = 3;
  private static final int OPEN_INTEREST = 4;
  private static final int FUNDING = 5;
  private static final int EVENT = 6;
  private static final int TRADE = 7;

  private static final MarketType[] MARKETS = {MarketType.SPOT, MarketType.FUTURE};
  private static final BookSide[] BOOK_SIDES = {BookSide.BID, BookSide.ASK};
  private static final TradeSide[] TRADE_SIDES = {TradeSide.BUY, TradeSide.SELL};
  private static final SnapshotSource[] SOURCES = {SnapshotSource.REST, SnapshotSource.BOOK};
  private static final StreamEventType[] EVENTS = {
    StreamEventType.CONNECT,
    StreamEventType.DISCONNECT,
    StreamEventType.GAP,
    StreamEventType.RESYNC,
    StreamEventType.CHECKSUM_MISMATCH,
    StreamEventType.REJECTED_MESSAGE,
    StreamEventType.RATE_LIMITED,
    StreamEventType.DROPPED,
    StreamEventType.RESTART_GAP,
    StreamEventType.WAL_TRUNCATED
  };

  private RowCodecV1() {}

  /** Decodes a format 1 record payload into its rows. */
  static List<LakeRow> decode(ByteSource in) {
    in.beginRecord();
    int count = (int) in.readVarLong();
    List<LakeRow> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      rows.add(decodeRow(in));
    }
    return rows;
  }

  private static LakeRow decodeRow(ByteSource in) {
    int type = in.readByte();
    return switch (type) {
      case DELTA -> {
        String exchange = in.readString();
        MarketType market = of(MARKETS, in.readByte());
        String symbol = in.readString();
        long timestamp = in.readVarLong();
        long lastUpdateId = in.readVarLong();
        int flags = in.readByte();
        double price = in.readDouble();
        double quantity = in.readDouble();
        int level = (int) in.readVarLong();
        long local = timestamp + in.readVarLong();
        yield new OrderBookDelta(
            exchange,
            market,
            symbol,
            timestamp,
            lastUpdateId,
            of(BOOK_SIDES, flags & 1),
            price,
            quantity,
            level,
            local,
            in.readNullableLong(),
            in.readNullableLong(),
            (flags & 2) != 0);
      }
      case SNAPSHOT ->
          new OrderBookSnapshot(
              in.readString(),
              of(MARKETS, in.readByte()),
              in.readString(),
              in.readVarLong(),
              readLevels(in),
              readLevels(in),
              in.readVarLong(),
              in.readNullableLong(),
              of(SOURCES, in.readByte()));
      case CONTRACT ->
          new Contract(
              in.readString(),
              of(MARKETS, in.readByte()),
              in.readString(),
              in.readString(),
              in.readString(),
              in.readString(),
              in.readString(),
              in.readDouble(),
              in.readNullableDouble(),
              in.readVarLong(),
              in.readVarLong());
      case LIQUIDATION ->
          new Liquidation(
              in.readString(),
              of(MARKETS, in.readByte()),
              in.readString(),
              of(TRADE_SIDES, in.readByte()),
              in.readDouble(),
              in.readDouble(),
              in.readVarLong(),
              in.readVarLong());
      case OPEN_INTEREST ->
          new OpenInterest(
              in.readString(),
              of(MARKETS, in.readByte()),
              in.readString(),
              in.readDouble(),
              in.readVarLong(),
              in.readVarLong());
      case FUNDING ->
          new FundingRate(
              in.readString(),
              of(MARKETS, in.readByte()),
              in.readString(),
              in.readDouble(),
              in.readVarLong(),
              in.readVarLong(),
              in.readVarLong());
      case EVENT ->
          new StreamEvent(
              in.readString(),
              in.readString(),
              in.readString(),
              in.readString(),
              of(EVENTS, in.readByte()),
              in.readString(),
              in.readNullableLong(),
              in.readNullableLong(),
              in.readVarLong(),
              in.readVarLong());
      case TRADE ->
          new Trade(
              in.readString(),
              of(MARKETS, in.readByte()),
              in.readString(),
              in.readString(),
              of(TRADE_SIDES, in.readByte()),
              in.readDouble(),
              in.readDouble(),
              in.readVarLong(),
              in.readVarLong());
      default ->
          throw new IllegalStateException(
              "Invalid row type code: " + type + " (expected 0 to 7 in format 1)");
    };
  }

  private static List<PriceLevel> readLevels(ByteSource in) {
    int count = (int) in.readVarLong();
    List<PriceLevel> levels = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      levels.add(new PriceLevel(in.readDouble(), in.readDouble()));
    }
    return levels;
  }

  private static <E extends Enum<E>> E of(E[] constants, int ordinal) {
    if (ordinal >= constants.length) {
      throw new IllegalStateException(
          "Invalid "
              + constants[0].getDeclaringClass().getSimpleName()
              + " ordinal: "
              + ordinal
              + " (expected 0 to "
              + (constants.length - 1)
              + " in format 1)");
    }
    return constants[ordinal];
  }
}
