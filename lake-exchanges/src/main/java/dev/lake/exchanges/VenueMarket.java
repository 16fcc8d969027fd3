package dev.lake.exchanges;

import dev.lake.core.model.MarketType;
import dev.lake.exchanges.book.StreamEvents;
import dev.lake.exchanges.stream.StreamCounters;
import dev.lake.exchanges.transport.RestClient;
import dev.lake.exchanges.transport.RestRules;
import dev.lake.exchanges.transport.Transport;
import dev.lake.exchanges.transport.WebSocketSession;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * What the parts of one market's connector share, the same for every venue: its settings, the
 * transport, the market's ledger (counters, outlet, {@code stream_events} rows) and its REST client
 * under the venue's {@link RestRules}. A venue's market class extends it with what only that venue
 * has (e.g. OKX's contract sizes).
 */
public class VenueMarket {
  private final MarketSettings settings;
  private final ConnectorContext context;
  private final MarketLedger ledger;
  private final Outlet polls;
  private final RestClient rest;

  /**
   * @param venue the venue's name, e.g. {@code binance}
   * @param rules the venue's REST rules for this market
   * @param label completes a rate-limit answer before it is recorded (e.g. names the table a
   *     request served); {@link UnaryOperator#identity()} where the request already says it
   */
  protected VenueMarket(
      String venue,
      MarketSettings settings,
      ConnectorContext context,
      RestRules rules,
      UnaryOperator<RestClient.RateLimit> label) {
    this.settings = settings;
    this.context = context;
    Transport transport = context.transport();
    this.ledger = new MarketLedger(venue, settings.market(), transport.clock(), context.sink());
    this.polls = ledger.outlet();
    this.rest =
        new RestClient(
            transport,
            ledger.name(),
            rules,
            context.weightShare(),
            limit -> ledger.rateLimited(label.apply(limit)));
  }

  protected VenueMarket(
      String venue, MarketSettings settings, ConnectorContext context, RestRules rules) {
    this(venue, settings, context, rules, UnaryOperator.identity());
  }

  public final MarketSettings settings() {
    return settings;
  }

  public final MarketType market() {
    return settings.market();
  }

  public final ConnectorContext context() {
    return context;
  }

  public final Transport transport() {
    return context.transport();
  }

  public final MarketLedger ledger() {
    return ledger;
  }

  /** The REST client of this market, within the venue's limits. */
  public final RestClient rest() {
    return rest;
  }

  /** Where polled rows go. */
  public final Outlet polls() {
    return polls;
  }

  /** The market's name in logs, e.g. {@code binance spot}. */
  public final String name() {
    return ledger.name();
  }

  public final StreamEvents events(String table) {
    return ledger.events(table);
  }

  public final AtomicLong messages() {
    return ledger.messages();
  }

  public final AtomicLong rejected() {
    return ledger.rejected();
  }

  public final long nowMicros() {
    return ledger.nowMicros();
  }

  /** The message counters a stream of this market adds to. */
  public final StreamCounters counters() {
    return new StreamCounters(ledger.messages(), ledger.rejected(), ledger::feedMessages);
  }

  /** The WebSocket session options of one feed's connections, named for logs. */
  public final WebSocketSession.Options sessionOptions(String feed) {
    return WebSocketSession.Options.defaults(name() + " " + feed);
  }
}
