package dev.lake.exchanges.binance;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.StreamEventType;
import dev.lake.exchanges.FailureLog;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.book.StreamEvents;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.transport.QueryString;
import dev.lake.exchanges.transport.RestException;
import dev.lake.exchanges.transport.RestResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST polls of one Binance market: book snapshots ({@code source: rest}), exchange information
 * (contracts, and the instruments {@code symbols: all} resolves from), open interest and funding. A
 * poll whose previous request is still out is skipped, so slow answers or a rate limit never pile
 * requests up.
 */
final class BinancePolls {
  private static final Logger LOG = LoggerFactory.getLogger(BinancePolls.class);

  private final BinanceMarket market;
  private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final FailureLog failures = new FailureLog(LOG);
  private volatile boolean closed;

  BinancePolls(BinanceMarket market) {
    this.market = market;
  }

  /** Polls depth snapshots of symbols, staggered over the interval. */
  synchronized void snapshots(FeedSettings feed, Collection<String> symbols) {
    int weight = BinanceRest.depthWeight(market.market, feed.limit());
    long needed = (long) weight * symbols.size() * 60_000 / Math.max(1, feed.intervalMs());
    int budget = market.rest.budget().weightPerMinute();
    if (needed > budget) {
      LOG.warn(
          "{}: REST snapshots of {} symbols every {} ms need {} weight/min, over lake's budget of {};"
              + " polls will be spaced to fit (snapshots.source: book takes them from the local book"
              + " at no weight)",
          market.name(),
          symbols.size(),
          feed.intervalMs(),
          needed,
          budget);
    }
    int index = 0;
    for (String symbol : symbols) {
      URI uri = QueryString.of("symbol", symbol).and("limit", feed.limit()).appendTo(feed.url());
      long offset = feed.intervalMs() * index++ / Math.max(1, symbols.size());
      schedule(
          "snapshot " + symbol,
          offset,
          feed.intervalMs(),
          uri,
          weight,
          response ->
              List.of(
                  BinanceRest.snapshotRow(
                      market.market,
                      symbol,
                      BinanceRest.depth(response.body(), response.receivedMicros()))),
          "orderbook_snapshot",
          symbol);
    }
  }

  /** Polls exchangeInfo: contracts rows when {@code contracts} is given, and instrument lists. */
  synchronized void exchangeInfo(
      FeedSettings contracts,
      URI url,
      long intervalMs,
      Consumer<BinanceRest.Instruments> onInstruments) {
    schedule(
        "exchangeInfo",
        0,
        intervalMs,
        url,
        BinanceRest.exchangeInfoWeight(market.market),
        response -> {
          BinanceRest.Instruments instruments =
              BinanceRest.exchangeInfo(market.market, response.body(), response.receivedMicros());
          onInstruments.accept(instruments);
          return contracts == null ? List.of() : List.copyOf(instruments.contracts());
        },
        "contracts",
        null);
  }

  synchronized void openInterest(FeedSettings feed, Collection<String> symbols) {
    int index = 0;
    for (String symbol : symbols) {
      long offset = feed.intervalMs() * index++ / Math.max(1, symbols.size());
      schedule(
          "openInterest " + symbol,
          offset,
          feed.intervalMs(),
          QueryString.of("symbol", symbol).appendTo(feed.url()),
          1,
          response -> List.of(BinanceRest.openInterest(response.body(), response.receivedMicros())),
          "open_interest",
          symbol);
    }
  }

  /** Polls premiumIndex for every symbol at once (weight 10), keeping the chosen ones. */
  synchronized void funding(FeedSettings feed, Set<String> symbols) {
    schedule(
        "premiumIndex",
        0,
        feed.intervalMs(),
        feed.url(),
        10,
        response ->
            List.copyOf(
                BinanceRest.fundingRates(response.body(), response.receivedMicros(), symbols)),
        "funding_rate",
        null);
  }

  synchronized void close() {
    closed = true;
    for (ScheduledFuture<?> task : tasks) {
      task.cancel(false);
    }
  }

  private void schedule(
      String key,
      long offsetMillis,
      long intervalMillis,
      URI uri,
      int weight,
      Function<RestResponse, List<? extends LakeRow>> parse,
      String table,
      String symbol) {
    tasks.add(
        market
            .transport
            .scheduler()
            .scheduleAtFixedRate(
                () -> poll(key, uri, weight, parse, table, symbol),
                offsetMillis,
                intervalMillis,
                TimeUnit.MILLISECONDS));
  }

  private void poll(
      String key,
      URI uri,
      int weight,
      Function<RestResponse, List<? extends LakeRow>> parse,
      String table,
      String symbol) {
    if (closed || !inFlight.add(key)) {
      return;
    }
    market
        .rest
        .get(uri, weight)
        .thenApply(
            response -> {
              market.messages.incrementAndGet();
              return parse.apply(response);
            })
        .whenComplete(
            (rows, error) -> {
              inFlight.remove(key);
              if (error == null) {
                failures.succeeded(market.name() + " " + key);
                market.polls.emit(new ArrayList<LakeRow>(rows));
              } else {
                failed(market.name() + " " + key, uri, error, table, symbol);
              }
            });
  }

  private void failed(String key, URI uri, Throwable error, String table, String symbol) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof MessageException) {
      market.rejected.incrementAndGet();
      StreamEvents events = market.events(table);
      market.polls.emit(
          List.of(
              events.event(
                  StreamEventType.REJECTED_MESSAGE,
                  symbol,
                  "response of " + uri + ": " + cause.getMessage(),
                  market.nowMicros())));
    } else if (!(cause instanceof RestException rest && rest.rateLimited())) {
      failures.failed(key, market.name() + ": " + cause.getMessage());
    }
  }
}
