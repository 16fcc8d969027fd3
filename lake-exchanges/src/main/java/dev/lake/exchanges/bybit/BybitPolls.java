package dev.lake.exchanges.bybit;

import dev.lake.core.model.Contract;
import dev.lake.core.model.FundingRate;
import dev.lake.core.model.OpenInterest;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.poll.Instruments;
import dev.lake.exchanges.poll.Polls;
import dev.lake.exchanges.poll.Polls.Poll;
import dev.lake.exchanges.transport.QueryString;
import dev.lake.exchanges.transport.RestRequest;
import dev.lake.exchanges.transport.RestResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The REST polls of one Bybit market: book snapshots ({@code source: rest}), instruments
 * (contracts, and the instruments {@code symbols: all} resolves from, following {@code
 * nextPageCursor}), and, where configured with an HTTP(S) URL, open interest and funding. What to
 * ask and how to read the answers is Bybit's; the schedule is {@link Polls}'.
 */
final class BybitPolls {
  /** Instruments per page: Bybit's most. */
  static final int INSTRUMENTS_PAGE = 1000;

  private final BybitMarket market;
  private final String category;
  private final Polls polls;

  BybitPolls(BybitMarket market) {
    this.market = market;
    this.category = BybitRest.category(market.market());
    this.polls = new Polls(market.ledger(), market.rest(), market.transport().scheduler());
  }

  private QueryString query(String symbol) {
    QueryString query = QueryString.of("category", category);
    return symbol == null ? query : query.and("symbol", symbol);
  }

  /** Polls orderbook snapshots of symbols, staggered over the interval. */
  void snapshots(FeedSettings feed, Collection<String> symbols) {
    List<Poll> each = new ArrayList<>();
    for (String symbol : symbols) {
      URI uri = query(symbol).and("limit", feed.limit()).appendTo(feed.url());
      each.add(
          new Poll(
              "orderbook " + symbol,
              RestRequest.get(uri, BybitRest.WEIGHT).about(OrderBookSnapshot.TABLE, symbol),
              response ->
                  List.of(
                      BybitRest.snapshot(
                          market.market(), symbol, response.body(), response.receivedMicros()))));
    }
    polls.staggered(feed.intervalMs(), each);
  }

  /** Polls every page of instruments-info: contracts rows when {@code contracts} is given. */
  void instruments(
      FeedSettings contracts, URI url, long intervalMs, Consumer<Instruments> onInstruments) {
    URI first = query(null).and("limit", INSTRUMENTS_PAGE).appendTo(url);
    polls.every(
        intervalMs,
        0,
        new Polls.Paged(
            "instruments-info",
            RestRequest.get(first, BybitRest.WEIGHT).about(Contract.TABLE, null),
            response -> {
              String cursor = BybitRest.nextCursor(response.body());
              return cursor == null
                  ? null
                  : RestRequest.get(
                          query(null)
                              .and("limit", INSTRUMENTS_PAGE)
                              .and("cursor", cursor)
                              .appendTo(url),
                          BybitRest.WEIGHT)
                      .about(Contract.TABLE, null);
            },
            responses -> {
              Instruments instruments =
                  BybitRest.instruments(
                      market.market(),
                      responses.stream().map(RestResponse::body).toList(),
                      responses.get(responses.size() - 1).receivedMicros());
              onInstruments.accept(instruments);
              return contracts == null ? List.of() : instruments.contracts();
            }));
  }

  /** Polls the latest 5-minute open interest of each symbol. */
  void openInterest(FeedSettings feed, Collection<String> symbols) {
    List<Poll> each = new ArrayList<>();
    for (String symbol : symbols) {
      URI uri = query(symbol).and("intervalTime", "5min").and("limit", 1).appendTo(feed.url());
      each.add(
          new Poll(
              "open-interest " + symbol,
              RestRequest.get(uri, BybitRest.WEIGHT).about(OpenInterest.TABLE, symbol),
              response ->
                  List.of(
                      BybitRest.openInterest(symbol, response.body(), response.receivedMicros()))));
    }
    polls.staggered(feed.intervalMs(), each);
  }

  /** Polls the tickers of every symbol at once, keeping the chosen ones (null: all). */
  void funding(FeedSettings feed, Set<String> symbols) {
    polls.every(
        feed.intervalMs(),
        0,
        new Poll(
            "tickers",
            RestRequest.get(query(null).appendTo(feed.url()), BybitRest.WEIGHT)
                .about(FundingRate.TABLE, null),
            response ->
                BybitRest.fundingRates(response.body(), response.receivedMicros(), symbols)));
  }

  void close() {
    polls.close();
  }
}
