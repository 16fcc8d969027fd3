package dev.lake.exchanges.binance;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.Liquidation;
import dev.lake.core.model.TradeSide;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.Outlet;
import dev.lake.exchanges.book.StreamEvents;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.transport.WebSocketListener;
import dev.lake.exchanges.transport.WebSocketSession;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * USD-M liquidations from {@code <symbol>@forceOrder} streams ({@code !forceOrder@arr} for all
 * symbols) on the {@code /market} route. Binance pushes at most the latest liquidation per symbol
 * per second: a sample, not a complete feed. While a connection is renewed, old and new overlap;
 * the same event seen twice is written once.
 */
final class BinanceLiquidations implements WebSocketListener {
  private static final int SUBSCRIBE_BATCH = 100;
  private static final int RECENT = 1024;

  private final BinanceMarket market;
  private final FeedSettings feed;
  private final List<String> streams;
  private final StreamEvents events;
  private final WebSocketSession socket;
  private final Outlet outlet;
  private final BinanceMessages.WsMessage message = new BinanceMessages.WsMessage();
  private final Set<String> recent = new LinkedHashSet<>();
  private byte[] bytes = new byte[16 * 1024];

  BinanceLiquidations(BinanceMarket market, FeedSettings feed, List<String> symbols) {
    this.market = market;
    this.feed = feed;
    this.streams =
        feed.symbols().all()
            ? List.of("!forceOrder@arr")
            : symbols.stream().map(s -> s.toLowerCase(Locale.ROOT) + "@forceOrder").toList();
    this.events = market.events(Liquidation.TABLE);
    this.socket =
        new WebSocketSession(
            market.transport,
            feed.url(),
            this,
            WebSocketSession.Options.defaults(market.name() + " liquidations")
                .withIdleTimeout(java.time.Duration.ofMinutes(15)));
    this.outlet =
        new Outlet(
            market.context.sink(), () -> socket.setReading(false), () -> socket.setReading(true));
  }

  void start() {
    socket.start();
  }

  void close() {
    socket.close();
  }

  int openConnections() {
    return socket.openConnections();
  }

  long failedConnections() {
    return socket.failedAttempts();
  }

  @Override
  public void onOpen(WebSocketSession session, String connectionId) {
    for (int i = 0; i < streams.size(); i += SUBSCRIBE_BATCH) {
      List<String> batch = streams.subList(i, Math.min(streams.size(), i + SUBSCRIBE_BATCH));
      String request =
          "{\"method\":\"SUBSCRIBE\",\"params\":[\""
              + String.join("\",\"", batch)
              + "\"],\"id\":"
              + (i + 1)
              + "}";
      session
          .eventLoop()
          .schedule(
              () -> session.send(request), (i / SUBSCRIBE_BATCH) * 300L, TimeUnit.MILLISECONDS);
    }
    outlet.emit(
        List.of(events.connected(feed.url(), connectionId, streams.size(), market.nowMicros())));
  }

  @Override
  public void onClose(String connectionId, String reason, boolean reconnecting) {
    outlet.emit(
        List.of(
            events.disconnected(
                feed.url(), connectionId, reason, reconnecting, market.nowMicros())));
  }

  @Override
  public void onMessage(ByteBuf content, long receivedMicros) {
    market.messages.incrementAndGet();
    int length = content.readableBytes();
    if (length > bytes.length) {
      bytes = new byte[Math.max(length, bytes.length * 2)];
    }
    content.getBytes(content.readerIndex(), bytes, 0, length);
    List<LakeRow> rows = new ArrayList<>(1);
    try {
      BinanceMessages.parse(bytes, length, message);
      switch (message.kind) {
        case FORCE_ORDER -> liquidation(message.forceOrder, receivedMicros, rows);
        case REPLY -> {}
        case ERROR -> reject("error from Binance: " + message.error, length, receivedMicros, rows);
        default ->
            reject(
                "unexpected message"
                    + (message.eventType == null ? "" : " of type " + message.eventType),
                length,
                receivedMicros,
                rows);
      }
    } catch (MessageException | IllegalArgumentException e) {
      reject(e.getMessage(), length, receivedMicros, rows);
    }
    outlet.emit(rows);
  }

  private void liquidation(
      BinanceMessages.ForceOrder order, long receivedMicros, List<LakeRow> rows) {
    String key =
        order.symbol
            + '|'
            + order.tradeTime
            + '|'
            + order.side
            + '|'
            + order.price
            + '|'
            + order.quantity;
    if (!recent.add(key)) {
      return;
    }
    if (recent.size() > RECENT) {
      recent.remove(recent.iterator().next());
    }
    rows.add(
        new Liquidation(
            BinanceVenue.NAME,
            market.market,
            order.symbol,
            "BUY".equals(order.side) ? TradeSide.BUY : TradeSide.SELL,
            order.price,
            order.quantity,
            order.tradeTime,
            receivedMicros));
  }

  private void reject(String reason, int length, long receivedMicros, List<LakeRow> rows) {
    market.rejected.incrementAndGet();
    String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
    rows.add(events.rejected(null, reason, text, receivedMicros));
  }
}
