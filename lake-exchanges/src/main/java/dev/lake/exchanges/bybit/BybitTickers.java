package dev.lake.exchanges.bybit;

import dev.lake.core.model.FundingRate;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OpenInterest;
import dev.lake.exchanges.stream.EventFeed;
import dev.lake.exchanges.stream.Frame;
import dev.lake.exchanges.stream.MessageFrames;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open interest and funding from the linear {@code tickers.{symbol}} stream, as one {@link
 * EventFeed} for both tables. A snapshot gives every field; a delta carries only the fields that
 * changed, so each is merged into the symbol's last known values: an absent field is unchanged,
 * never null or 0. A message that carries {@code openInterest} makes an {@code open_interest} row;
 * one that carries {@code fundingRate} or {@code nextFundingTime} makes a {@code funding_rate} row
 * with the merged rate and funding time ({@code nextFundingTime}, the settlement the rate applies
 * to). Rows are stamped with the message's {@code ts}. The same row seen on two connections while
 * one is renewed is written once.
 */
final class BybitTickers {
  private final Set<String> openInterestSymbols = ConcurrentHashMap.newKeySet();
  private final Set<String> fundingSymbols = ConcurrentHashMap.newKeySet();
  private final EventFeed feed;

  /**
   * @param table the table the stream's own rows (connect, rejected frames) are recorded under
   */
  BybitTickers(BybitMarket market, URI url, String table) {
    this.feed =
        new EventFeed(
            market.transport(),
            market.streams(url, "tickers"),
            market.events(table),
            market.context().sink(),
            market.counters(),
            () -> new Reader(market)::read,
            BybitTickers::identity);
  }

  static String topic(String symbol) {
    return "tickers." + symbol;
  }

  /** Starts making open interest rows for symbols. */
  void addOpenInterest(List<String> symbols) {
    openInterestSymbols.addAll(symbols);
    feed.add(symbols.stream().map(BybitTickers::topic).toList());
  }

  /** Starts making funding rows for symbols. */
  void addFunding(List<String> symbols) {
    fundingSymbols.addAll(symbols);
    feed.add(symbols.stream().map(BybitTickers::topic).toList());
  }

  EventFeed feed() {
    return feed;
  }

  void close() {
    feed.close();
  }

  private static Object identity(LakeRow row) {
    if (row instanceof OpenInterest oi) {
      return "oi|" + oi.symbol() + '|' + oi.timestampMs() + '|' + oi.openInterest();
    }
    FundingRate rate = (FundingRate) row;
    return "funding|"
        + rate.symbol()
        + '|'
        + rate.timestampMs()
        + '|'
        + rate.fundingRate()
        + '|'
        + rate.fundingTimeMs();
  }

  /** The merged tickers of one connection share. */
  private final class Reader {
    private final Map<String, Merged> bySymbol = new HashMap<>();
    private final MessageFrames<BybitMessages.WsMessage> frames;

    Reader(BybitMarket market) {
      this.frames =
          BybitFrames.reader(
              market.name(), BybitMessages.Kind.TICKER, this::onTicker, message -> null);
    }

    void read(Frame frame, List<LakeRow> rows) {
      frames.read(frame, rows);
    }

    private void onTicker(BybitMessages.WsMessage message, Frame frame, List<LakeRow> rows) {
      BybitMessages.Ticker ticker = message.ticker;
      Merged merged = bySymbol.computeIfAbsent(ticker.symbol, s -> new Merged());
      if (message.snapshot) {
        merged.clear();
      }
      merged.merge(ticker);
      if (ticker.hasOpenInterest
          && merged.hasOpenInterest
          && openInterestSymbols.contains(ticker.symbol)) {
        rows.add(
            new OpenInterest(
                BybitVenue.NAME,
                MarketType.FUTURE,
                ticker.symbol,
                merged.openInterest,
                message.ts,
                frame.receivedMicros()));
      }
      if ((ticker.hasFundingRate || ticker.hasNextFundingTime)
          && merged.hasFundingRate
          && merged.nextFundingTime > 0
          && fundingSymbols.contains(ticker.symbol)) {
        rows.add(
            new FundingRate(
                BybitVenue.NAME,
                MarketType.FUTURE,
                ticker.symbol,
                merged.fundingRate,
                merged.nextFundingTime,
                message.ts,
                frame.receivedMicros()));
      }
    }
  }

  /** A symbol's last known values. */
  private static final class Merged {
    boolean hasOpenInterest;
    double openInterest;
    boolean hasFundingRate;
    double fundingRate;
    long nextFundingTime;

    void clear() {
      hasOpenInterest = hasFundingRate = false;
      nextFundingTime = 0;
    }

    void merge(BybitMessages.Ticker ticker) {
      if (ticker.hasOpenInterest) {
        hasOpenInterest = true;
        openInterest = ticker.openInterest;
      }
      if (ticker.hasFundingRate) {
        hasFundingRate = true;
        fundingRate = ticker.fundingRate;
      }
      if (ticker.hasNextFundingTime) {
        nextFundingTime = ticker.nextFundingTime;
      }
    }
  }
}
