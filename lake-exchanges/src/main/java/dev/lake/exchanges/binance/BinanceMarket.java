package dev.lake.exchanges.binance;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.StreamEventType;
import dev.lake.exchanges.ConnectorContext;
import dev.lake.exchanges.ConnectorStats;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.Outlet;
import dev.lake.exchanges.book.StreamEvents;
import dev.lake.exchanges.transport.QueryString;
import dev.lake.exchanges.transport.RestClient;
import dev.lake.exchanges.transport.Transport;
import dev.lake.exchanges.transport.WeightBudget;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/** What the parts of a Binance connector share: settings, transport, REST budget, counters. */
final class BinanceMarket {
  final MarketSettings settings;
  final MarketType market;
  final ConnectorContext context;
  final Transport transport;
  final RestClient rest;
  final Outlet polls;
  final AtomicLong messages = new AtomicLong();
  final AtomicLong rejected = new AtomicLong();
  final AtomicLong rateLimited = new AtomicLong();

  BinanceMarket(MarketSettings settings, ConnectorContext context) {
    this.settings = settings;
    this.market = settings.market();
    this.context = context;
    this.transport = context.transport();
    this.polls = new Outlet(context.sink());
    int budget = (int) (BinanceRest.weightPerMinute(market) * context.weightShare());
    this.rest =
        new RestClient(
            transport,
            "binance " + market.text(),
            new WeightBudget(budget, transport.clock().nowMillis()),
            this::onRateLimited);
  }

  String name() {
    return "binance " + market.text();
  }

  StreamEvents events(String table) {
    return new StreamEvents(BinanceVenue.NAME, market, table);
  }

  long nowMicros() {
    return transport.clock().nowMicros();
  }

  private void onRateLimited(URI uri, int status, long pauseMillis) {
    rateLimited.incrementAndGet();
    long now = nowMicros();
    String table = tableOf(uri);
    polls.emit(
        List.<LakeRow>of(
            events(table)
                .event(
                    StreamEventType.RATE_LIMITED,
                    QueryString.parameter(uri, "symbol"),
                    "HTTP "
                        + status
                        + " for "
                        + uri
                        + ": requests paused for "
                        + pauseMillis
                        + " ms",
                    now)));
  }

  private String tableOf(URI uri) {
    String path = uri.getPath();
    if (path.endsWith("/depth")) {
      return "orderbook_snapshot";
    }
    if (path.endsWith("/exchangeInfo")) {
      return "contracts";
    }
    if (path.endsWith("/openInterest")) {
      return "open_interest";
    }
    if (path.endsWith("/premiumIndex")) {
      return "funding_rate";
    }
    return "all";
  }

  ConnectorStats stats(
      IntSupplier openConnections,
      long failedConnections,
      long validated,
      long gaps,
      long resyncs,
      long rejectedInBooks) {
    return new ConnectorStats(
        openConnections.getAsInt(),
        failedConnections,
        messages.get(),
        validated,
        gaps,
        resyncs,
        rejected.get() + rejectedInBooks,
        rateLimited.get());
  }
}
