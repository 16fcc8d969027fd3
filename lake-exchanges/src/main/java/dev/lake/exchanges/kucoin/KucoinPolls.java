package dev.lake.exchanges.kucoin;

import dev.lake.core.model.Contract;
import dev.lake.core.model.FundingRate;
import dev.lake.core.model.MarketType;
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
 * The REST polls of one KuCoin market: book snapshots ({@code source: rest}), instruments (spot
 * symbols or futures contracts: {@code contracts} rows, multipliers, and what {@code symbols: all}
 * resolves from), open interest (the {@code openInterest} of the contracts answer) and the current
 * funding rate per contract. What to ask and how to read the answers is KuCoin's; the schedule is
 * {@link Polls}'.
 */
final class KucoinPolls {
  private final KucoinMarket market;
  private final Polls polls;

  KucoinPolls(KucoinMarket market) {
    this.market = market;
    this.polls = new Polls(market.ledger(), market.rest(), market.transport().scheduler());
  }

  void snapshots(FeedSettings feed, Collection<String> symbols) {
    List<Poll> each = new ArrayList<>();
    for (String symbol : symbols) {
      URI uri = QueryString.of("symbol", symbol).appendTo(feed.url());
      each.add(
          new Poll(
              "orderbook " + symbol,
              RestRequest.get(uri, 4).about(OrderBookSnapshot.TABLE, symbol),
              response -> {
                ContractSize multiplier = market.multiplier(symbol);
                if (multiplier == null) {
                  throw new MessageException("no multiplier known for " + symbol);
                }
                return List.of(
                    KucoinRest.snapshotRow(
                        market.market(),
                        KucoinRest.book(market.market(), symbol, response.body(), multiplier),
                        response.receivedMicros()));
              }));
    }
    polls.staggered(feed.intervalMs(), each);
  }

  /**
   * Polls the instruments: multipliers always, {@code contracts} rows when {@code withRows}, and
   * the instruments to whoever resolves {@code symbols: all}.
   */
  void instruments(
      URI url, long intervalMs, boolean withRows, Consumer<Instruments> onInstruments) {
    polls.every(
        intervalMs,
        0,
        new Poll(
            "instruments",
            RestRequest.get(url, 4).about(Contract.TABLE, null),
            response -> {
              Instruments instruments;
              if (market.market() == MarketType.SPOT) {
                instruments = KucoinRest.symbols(response.body(), response.receivedMicros());
              } else {
                KucoinRest.Contracts contracts =
                    KucoinRest.contracts(response.body(), response.receivedMicros());
                market.multipliers(contracts.multipliers());
                instruments = contracts.instruments();
              }
              onInstruments.accept(instruments);
              return withRows ? instruments.contracts() : List.of();
            }));
  }

  /** Polls the contracts answer for the open interest of the chosen symbols (null: all). */
  void openInterest(FeedSettings feed, Set<String> symbols) {
    polls.every(
        feed.intervalMs(),
        0,
        new Poll(
            "open-interest",
            RestRequest.get(feed.url(), 4).about(OpenInterest.TABLE, null),
            response -> {
              KucoinRest.Contracts contracts =
                  KucoinRest.contracts(response.body(), response.receivedMicros());
              market.multipliers(contracts.multipliers());
              return KucoinRest.openInterest(
                  contracts.data(), contracts.multipliers(), response.receivedMicros(), symbols);
            }));
  }

  /** Polls the current funding rate of each contract, staggered over the interval. */
  void funding(FeedSettings feed, Collection<String> symbols) {
    List<Poll> each = new ArrayList<>();
    for (String symbol : symbols) {
      URI uri = URI.create(feed.url() + "/" + symbol + "/current");
      each.add(
          new Poll(
              "funding-rate " + symbol,
              RestRequest.get(uri, 2).about(FundingRate.TABLE, symbol),
              response ->
                  List.of(KucoinRest.funding(symbol, response.body(), response.receivedMicros()))));
    }
    polls.staggered(feed.intervalMs(), each);
  }

  void close() {
    polls.close();
  }
}
