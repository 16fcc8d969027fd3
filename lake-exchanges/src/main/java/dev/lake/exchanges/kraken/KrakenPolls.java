package dev.lake.exchanges.kraken;

import dev.lake.core.model.Contract;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.poll.Instruments;
import dev.lake.exchanges.poll.Polls;
import dev.lake.exchanges.poll.Polls.Poll;
import dev.lake.exchanges.transport.QueryString;
import dev.lake.exchanges.transport.RestRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST polls of one Kraken market: book snapshots ({@code source: rest}: spot {@code Depth} by
 * the pair's REST name, futures {@code orderbook}) and instruments (spot {@code AssetPairs},
 * futures {@code instruments}: contracts, and what {@code symbols: all} resolves from). What to ask
 * and how to read the answers is Kraken's; the schedule is {@link Polls}'.
 */
final class KrakenPolls {
  private static final Logger LOG = LoggerFactory.getLogger(KrakenPolls.class);
  private final KrakenMarket market;
  private final Polls polls;

  KrakenPolls(KrakenMarket market) {
    this.market = market;
    this.polls = new Polls(market.ledger(), market.rest(), market.transport().scheduler());
  }

  void snapshots(FeedSettings feed, Collection<String> symbols) {
    List<Poll> each = new ArrayList<>();
    for (String symbol : symbols) {
      Poll poll = market.futures ? futuresSnapshot(feed, symbol) : spotSnapshot(feed, symbol);
      if (poll != null) {
        each.add(poll);
      }
    }
    if (!each.isEmpty()) {
      polls.staggered(feed.intervalMs(), each);
    }
  }

  /** Null when AssetPairs does not list the symbol (no REST name to ask Depth with). */
  private Poll spotSnapshot(FeedSettings feed, String symbol) {
    String pair = market.restNames.get(symbol);
    if (pair == null) {
      LOG.warn("{}: {} is not in AssetPairs: no Depth snapshots of it", market.name(), symbol);
      return null;
    }
    URI uri = QueryString.of("pair", pair).and("count", feed.limit()).appendTo(feed.url());
    return new Poll(
        "Depth " + symbol,
        RestRequest.get(uri, 1).about(OrderBookSnapshot.TABLE, symbol),
        response ->
            List.of(
                KrakenRest.snapshotRow(
                    market.market(),
                    KrakenRest.spotDepth(symbol, response.body()),
                    feed.limit(),
                    response.receivedMicros())));
  }

  private Poll futuresSnapshot(FeedSettings feed, String symbol) {
    URI uri = QueryString.of("symbol", symbol).appendTo(feed.url());
    return new Poll(
        "orderbook " + symbol,
        RestRequest.get(uri, 1).about(OrderBookSnapshot.TABLE, symbol),
        response ->
            List.of(
                KrakenRest.snapshotRow(
                    market.market(),
                    KrakenRest.futuresOrderbook(symbol, response.body(), response.receivedMicros()),
                    feed.limit(),
                    response.receivedMicros())));
  }

  /** Polls the instruments: {@code contracts} rows when {@code withRows}. */
  void instruments(
      URI url, long intervalMs, boolean withRows, Consumer<Instruments> onInstruments) {
    polls.every(
        intervalMs,
        0,
        new Poll(
            market.futures ? "instruments" : "AssetPairs",
            RestRequest.get(url, 1).about(Contract.TABLE, null),
            response -> {
              Instruments instruments;
              if (market.futures) {
                instruments =
                    KrakenRest.futuresInstruments(response.body(), response.receivedMicros());
              } else {
                KrakenRest.SpotPairs pairs =
                    KrakenRest.assetPairs(response.body(), response.receivedMicros());
                pairs.pairs().forEach(pair -> market.restNames.put(pair.symbol(), pair.restName()));
                instruments = pairs.instruments();
              }
              onInstruments.accept(instruments);
              return withRows ? instruments.contracts() : List.of();
            }));
  }

  void close() {
    polls.close();
  }
}
