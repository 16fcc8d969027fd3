package dev.lake.core.wal;

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
 * Binary encoding of rows in write-ahead log records. One record holds a batch of rows; strings
 * repeated within a record (exchange, symbol) are written once and referenced after.
 *
 * <p>Not thread-safe: one instance per thread.
 */
final class RowCodec {
  private static final int SNAPSHOT = 0;
  private static final int DELTA = 1;
  private static final int CONTRACT = 2;
  private static final int LIQUIDATION = 3;
  private static final int OPEN_INTEREST = 4;
  private static final int FUNDING = 5;
  private static final int EVENT = 6;
  private static final int TRADE = 7;

  private static final MarketType[] MARKETS = MarketType.values();
  private static final BookSide[] BOOK_SIDES = BookSide.values();
  private static final TradeSide[] TRADE_SIDES = TradeSide.values();
  private static final SnapshotSource[] SOURCES = SnapshotSource.values();
  private static final StreamEventType[] EVENTS = StreamEventType.values();

  private RowCodec() {}

  /** Encodes a batch of rows as one record payload. */
  static void encode(List<? extends LakeRow> rows, ByteSink out) {
    out.beginRecord();
    out.writeVarLong(rows.size());
    for (LakeRow row : rows) {
      encodeRow(row, out);
    }
  }

  private static void encodeRow(LakeRow row, ByteSink out) {
    if (row instanceof OrderBookDelta d) {
      out.writeByte(DELTA);
      out.writeString(d.exchange());
      out.writeByte(d.market().ordinal());
      out.writeString(d.symbol());
      out.writeVarLong(d.timestampMicros());
      out.writeVarLong(d.lastUpdateId());
      out.writeByte(d.side().ordinal() | (d.isSnapshot() ? 2 : 0));
      out.writeDouble(d.price());
      out.writeDouble(d.quantity());
      out.writeVarLong(d.level());
      out.writeVarLong(d.localTimestampMicros() - d.timestampMicros());
      out.writeNullableLong(d.firstUpdateId());
      out.writeNullableLong(d.prevUpdateId());
    } else if (row instanceof OrderBookSnapshot s) {
      out.writeByte(SNAPSHOT);
      out.writeString(s.exchange());
      out.writeByte(s.marketType().ordinal());
      out.writeString(s.symbol());
      out.writeVarLong(s.timestampMs());
      writeLevels(s.bids(), out);
      writeLevels(s.asks(), out);
      out.writeVarLong(s.localTimestampMicros());
      out.writeNullableLong(s.lastUpdateId());
      out.writeByte(s.source().ordinal());
    } else if (row instanceof Contract c) {
      out.writeByte(CONTRACT);
      out.writeString(c.exchange());
      out.writeByte(c.marketType().ordinal());
      out.writeString(c.symbol());
      out.writeString(c.contractCode());
      out.writeString(c.contractType());
      out.writeString(c.baseAsset());
      out.writeString(c.quoteAsset());
      out.writeDouble(c.tickSize());
      out.writeNullableDouble(c.contractSize());
      out.writeVarLong(c.timestampMs());
      out.writeVarLong(c.localTimestampMicros());
    } else if (row instanceof Liquidation l) {
      out.writeByte(LIQUIDATION);
      out.writeString(l.exchange());
      out.writeByte(l.marketType().ordinal());
      out.writeString(l.symbol());
      out.writeByte(l.side().ordinal());
      out.writeDouble(l.price());
      out.writeDouble(l.quantity());
      out.writeVarLong(l.timestampMs());
      out.writeVarLong(l.localTimestampMicros());
    } else if (row instanceof OpenInterest o) {
      out.writeByte(OPEN_INTEREST);
      out.writeString(o.exchange());
      out.writeByte(o.marketType().ordinal());
      out.writeString(o.symbol());
      out.writeDouble(o.openInterest());
      out.writeVarLong(o.timestampMs());
      out.writeVarLong(o.localTimestampMicros());
    } else if (row instanceof FundingRate f) {
      out.writeByte(FUNDING);
      out.writeString(f.exchange());
      out.writeByte(f.marketType().ordinal());
      out.writeString(f.symbol());
      out.writeDouble(f.fundingRate());
      out.writeVarLong(f.fundingTimeMs());
      out.writeVarLong(f.timestampMs());
      out.writeVarLong(f.localTimestampMicros());
    } else if (row instanceof StreamEvent e) {
      out.writeByte(EVENT);
      out.writeString(e.exchange());
      out.writeString(e.marketType());
      out.writeString(e.dataType());
      out.writeString(e.symbol());
      out.writeByte(e.event().ordinal());
      out.writeString(e.detail());
      out.writeNullableLong(e.fromUpdateId());
      out.writeNullableLong(e.toUpdateId());
      out.writeVarLong(e.timestampMicros());
      out.writeVarLong(e.localTimestampMicros());
    } else if (row instanceof Trade t) {
      out.writeByte(TRADE);
      out.writeString(t.exchange());
      out.writeByte(t.marketType().ordinal());
      out.writeString(t.symbol());
      out.writeString(t.tradeId());
      out.writeByte(t.side().ordinal());
      out.writeDouble(t.price());
      out.writeDouble(t.quantity());
      out.writeVarLong(t.timestampMicros());
      out.writeVarLong(t.localTimestampMicros());
    } else {
      throw new IllegalArgumentException("Invalid row: " + row.getClass().getName());
    }
  }

  private static void writeLevels(List<PriceLevel> levels, ByteSink out) {
    out.writeVarLong(levels.size());
    for (PriceLevel level : levels) {
      out.writeDouble(level.price());
      out.writeDouble(level.quantity());
    }
  }

  /** Decodes a record payload into its rows. */
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
        MarketType market = MARKETS[in.readByte()];
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
            BOOK_SIDES[flags & 1],
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
              MARKETS[in.readByte()],
              in.readString(),
              in.readVarLong(),
              readLevels(in),
              readLevels(in),
              in.readVarLong(),
              in.readNullableLong(),
              SOURCES[in.readByte()]);
      case CONTRACT ->
          new Contract(
              in.readString(),
              MARKETS[in.readByte()],
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
              MARKETS[in.readByte()],
              in.readString(),
              TRADE_SIDES[in.readByte()],
              in.readDouble(),
              in.readDouble(),
              in.readVarLong(),
              in.readVarLong());
      case OPEN_INTEREST ->
          new OpenInterest(
              in.readString(),
              MARKETS[in.readByte()],
              in.readString(),
              in.readDouble(),
              in.readVarLong(),
              in.readVarLong());
      case FUNDING ->
          new FundingRate(
              in.readString(),
              MARKETS[in.readByte()],
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
              EVENTS[in.readByte()],
              in.readString(),
              in.readNullableLong(),
              in.readNullableLong(),
              in.readVarLong(),
              in.readVarLong());
      case TRADE ->
          new Trade(
              in.readString(),
              MARKETS[in.readByte()],
              in.readString(),
              in.readString(),
              TRADE_SIDES[in.readByte()],
              in.readDouble(),
              in.readDouble(),
              in.readVarLong(),
              in.readVarLong());
      default -> throw new IllegalStateException("Invalid row type in log record: " + type);
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
}
