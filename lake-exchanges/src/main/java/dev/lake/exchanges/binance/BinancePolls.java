package dev.lake.exchanges.binance;

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
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The REST polls of one Binance market: book snapshots ({@code source: rest}), exchange information
 * (contracts, and the instruments {@code symbols: all} resolves from), open interest and funding.
 * What to ask and how to read the answers is Binance's; the schedule is {@link Polls}'.
 */
final class BinancePolls {
  private final BinanceMarket market;
  private final Polls polls;

  BinancePolls(BinanceMarket market) {
    this.market = market;
    this.polls = new Polls(market.ledger(), market.rest(), market.transport().scheduler());
  }

  /** Polls depth snapshots of symbols, staggered over the interval. */
  void snapshots(FeedSettings feed, Collection<String> symbols) {
    int weight = BinanceRest.depthWeight(market.market(), feed.limit());
    List<Poll> each = new ArrayList<>();
    for (String symbol : symbols) {
      URI uri = QueryString.of("symbol", symbol).and("limit", feed.limit()).appendTo(feed.url());
      each.add(
          new Poll(
              "snapshot " + symbol,
              RestRequest.get(uri, weight).about(OrderBookSnapshot.TABLE, symbol),
              response ->
                  List.of(
                      BinanceRest.snapshotRow(
                          market.market(),
                          symbol,
                          BinanceRest.depth(response.body(), response.receivedMicros())))));
    }
    polls.staggered(feed.intervalMs(), each);
  }

  /** Polls exchangeInfo: contracts rows when {@code contracts} is given, and instrument lists. */
  void exchangeInfo(
      FeedSettings contracts, URI url, long intervalMs, Consumer<Instruments> onInstruments) {
    RestRequest request =
        RestRequest.get(url, BinanceRest.exchangeInfoWeight(market.market()))
            .about(Contract.TABLE, null);
    polls.every(
        intervalMs,
        0,
        new Poll(
            "exchangeInfo",
            request,
            response -> {
              Instruments instruments =
                  BinanceRest.exchangeInfo(
                      market.market(), response.body(), response.receivedMicros());
              onInstruments.accept(instruments);
              return contracts == null ? List.of() : instruments.contracts();
            }));
  }

  void openInterest(FeedSettings feed, Collection<String> symbols) {
    List<Poll> each = new ArrayList<>();
    for (String symbol : symbols) {
      URI uri = QueryString.of("symbol", symbol).appendTo(feed.url());
      each.add(
          new Poll(
              "openInterest " + symbol,
              RestRequest.get(uri, BinanceRest.OPEN_INTEREST_WEIGHT)
                  .about(OpenInterest.TABLE, symbol),
              response ->
                  List.of(BinanceRest.openInterest(response.body(), response.receivedMicros()))));
    }
    polls.staggered(feed.intervalMs(), each);
  }

  /** Polls premiumIndex for every symbol at once, keeping the chosen ones (null: all). */
  void funding(FeedSettings feed, Set<String> symbols) {
    polls.every(
        feed.intervalMs(),
        0,
        new Poll(
            "premiumIndex",
            RestRequest.get(feed.url(), BinanceRest.FUNDING_WEIGHT).about(FundingRate.TABLE, null),
            response ->
                BinanceRest.fundingRates(response.body(), response.receivedMicros(), symbols)));
  }

  void close() {
    polls.close();
  }
}
