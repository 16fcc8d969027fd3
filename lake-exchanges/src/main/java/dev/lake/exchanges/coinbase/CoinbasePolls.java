package dev.lake.exchanges.coinbase;

import dev.lake.core.model.Contract;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.poll.Polls;
import dev.lake.exchanges.poll.Polls.Poll;
import dev.lake.exchanges.transport.QueryString;
import dev.lake.exchanges.transport.RestRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * The REST polls of the Coinbase spot market: book snapshots ({@code source: rest}) and products
 * (contracts, aliases, and the products {@code symbols: all} resolves from). What to ask and how to
 * read the answers is Coinbase's; the schedule is {@link Polls}'.
 */
final class CoinbasePolls {
  private final CoinbaseMarket market;
  private final Polls polls;

  CoinbasePolls(CoinbaseMarket market) {
    this.market = market;
    this.polls = new Polls(market.ledger(), market.rest(), market.transport().scheduler());
  }

  /** Polls {@code product_book} of products, staggered over the interval. */
  void snapshots(FeedSettings feed, Collection<String> symbols) {
    List<Poll> each = new ArrayList<>();
    for (String symbol : symbols) {
      URI uri =
          QueryString.of("product_id", symbol).and("limit", feed.limit()).appendTo(feed.url());
      each.add(
          new Poll(
              "product_book " + symbol,
              RestRequest.get(uri, CoinbaseRest.WEIGHT).about(OrderBookSnapshot.TABLE, symbol),
              response ->
                  List.of(
                      CoinbaseRest.snapshot(
                          market.market(), symbol, response.body(), response.receivedMicros()))));
    }
    polls.staggered(feed.intervalMs(), each);
  }

  /**
   * Polls the spot products, or the INTX instruments on future: contracts rows when {@code
   * contracts} is on.
   */
  void products(
      URI url, long intervalMs, boolean contracts, Consumer<CoinbaseRest.Products> onProducts) {
    boolean spot = market.market() == MarketType.SPOT;
    URI uri = spot ? QueryString.of("product_type", "SPOT").appendTo(url) : url;
    polls.every(
        intervalMs,
        0,
        new Poll(
            spot ? "products" : "instruments",
            RestRequest.get(uri, CoinbaseRest.WEIGHT).about(Contract.TABLE, null),
            response -> {
              CoinbaseRest.Products products =
                  spot
                      ? CoinbaseRest.products(
                          market.market(), response.body(), response.receivedMicros())
                      : CoinbaseRest.intxInstruments(
                          market.market(), response.body(), response.receivedMicros());
              onProducts.accept(products);
              return contracts ? products.instruments().contracts() : List.of();
            }));
  }

  void close() {
    polls.close();
  }
}
