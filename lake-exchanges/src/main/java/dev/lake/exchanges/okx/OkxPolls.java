package dev.lake.exchanges.okx;

import dev.lake.core.model.Contract;
import dev.lake.core.model.FundingRate;
import dev.lake.core.model.OpenInterest;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.exchanges.ContractSize;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.poll.Instruments;
import dev.lake.exchanges.poll.Polls;
import dev.lake.exchanges.poll.Polls.Poll;
import dev.lake.exchanges.transport.QueryString;
import dev.lake.exchanges.transport.RestRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The REST polls of one OKX market: book snapshots ({@code source: rest}), instruments (contracts,
 * contract values, and what {@code symbols: all} resolves from), open interest per instType and
 * funding rates per perpetual. What to ask and how to read the answers is OKX's; the schedule is
 * {@link Polls}'.
 */
final class OkxPolls {
  private final OkxMarket market;
  private final Polls polls;

  OkxPolls(OkxMarket market) {
    this.market = market;
    this.polls = new Polls(market.ledger(), market.rest(), market.transport().scheduler());
  }

  void snapshots(FeedSettings feed, Collection<String> symbols) {
    List<Poll> each = new ArrayList<>();
    for (String symbol : symbols) {
      URI uri = QueryString.of("instId", symbol).and("sz", feed.limit()).appendTo(feed.url());
      each.add(
          new Poll(
              "books " + symbol,
              RestRequest.get(uri, 1).about(OrderBookSnapshot.TABLE, symbol),
              response -> {
                ContractSize size = market.sizes.of(symbol);
                if (size == null) {
                  throw new MessageException("no ctVal known for " + symbol + " (not listed)");
                }
                return List.of(
                    OkxRest.snapshotRow(
                        market.market(),
                        OkxRest.book(symbol, response.body(), size),
                        response.receivedMicros()));
              }));
    }
    polls.staggered(feed.intervalMs(), each);
  }

  /**
   * Polls the instruments of an instType: contract values always, {@code contracts} rows when
   * {@code withRows}, and the instruments to whoever resolves {@code symbols: all}.
   */
  void instruments(
      URI url,
      String instType,
      long intervalMs,
      boolean withRows,
      Consumer<Instruments> onInstruments) {
    URI uri = QueryString.of("instType", instType).appendTo(url);
    polls.every(
        intervalMs,
        0,
        new Poll(
            "instruments " + instType,
            RestRequest.get(uri, 1).about(Contract.TABLE, null),
            response -> {
              Instruments instruments =
                  OkxRest.instruments(
                      market.market(), response.body(), response.receivedMicros(), market.sizes);
              onInstruments.accept(instruments);
              return withRows ? instruments.contracts() : List.of();
            }));
  }

  /** Polls the open interest of every instrument of an instType, keeping the chosen (null: all). */
  void openInterest(FeedSettings feed, String instType, Set<String> symbols) {
    URI uri = QueryString.of("instType", instType).appendTo(feed.url());
    polls.every(
        feed.intervalMs(),
        0,
        new Poll(
            "open-interest " + instType,
            RestRequest.get(uri, 1).about(OpenInterest.TABLE, null),
            response -> OkxRest.openInterest(response.body(), response.receivedMicros(), symbols)));
  }

  /** Polls the funding rate of each perpetual, staggered over the interval. */
  void funding(FeedSettings feed, Collection<String> symbols) {
    List<Poll> each = new ArrayList<>();
    for (String symbol : symbols) {
      URI uri = QueryString.of("instId", symbol).appendTo(feed.url());
      each.add(
          new Poll(
              "funding-rate " + symbol,
              RestRequest.get(uri, 1).about(FundingRate.TABLE, symbol),
              response -> OkxRest.fundingRates(response.body(), response.receivedMicros())));
    }
    polls.staggered(feed.intervalMs(), each);
  }

  void close() {
    polls.close();
  }
}
