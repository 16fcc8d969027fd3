package dev.lake.testing.binance;

import dev.lake.core.model.MarketType;
import dev.lake.testing.venue.FakeExchangeServer;
import dev.lake.testing.venue.WebSocketConnection;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Binance's view of the server's open WebSocket connections: delivery of events to the connections
 * subscribed to them, per market. Thread-safe; events handed over from one thread reach each
 * connection in the order they were handed over.
 */
final class StreamHub {
  private final Map<MarketType, AtomicInteger> pongs = new EnumMap<>(MarketType.class);
  private volatile FakeExchangeServer server;

  StreamHub() {
    for (MarketType market : MarketType.values()) {
      pongs.put(market, new AtomicInteger());
    }
  }

  /** Adds one endpoint per route to a server: each upgrade on the route's paths is a connection. */
  void addTo(FakeExchangeServer.Builder builder) {
    for (StreamRoute route : StreamRoute.values()) {
      builder.webSocket(
          route.routeName(),
          upgrade ->
              StreamPath.parse(upgrade.uri())
                  .filter(path -> path.route() == route)
                  .map(path -> new StreamConnection(path, this)));
    }
  }

  /** The server whose connections this hub serves; set once it has started. */
  void serve(FakeExchangeServer server) {
    this.server = server;
  }

  void pong(MarketType market) {
    pongs.get(market).incrementAndGet();
  }

  int pongs(MarketType market) {
    return pongs.get(market).get();
  }

  /** Sends a depth payload to the connections of the market subscribed to the symbol's depth. */
  void depth(MarketType market, String symbol, String payload) {
    for (WebSocketConnection connection : server.connections()) {
      if (connection.session() instanceof StreamConnection stream
          && stream.route().market() == market) {
        stream.deliver(stream.route().depthStreams(symbol), payload);
      }
    }
  }

  /** Sends a trade to the connections of the market subscribed to the symbol's trades. */
  void trade(MarketType market, String symbol, String payload) {
    for (WebSocketConnection connection : server.connections()) {
      if (connection.session() instanceof StreamConnection stream
          && stream.route().market() == market) {
        stream.deliver(stream.route().tradeStreams(symbol), payload);
      }
    }
  }

  /** Sends a liquidation to the futures connections subscribed to it (only {@code /market}). */
  void forceOrder(String symbol, String payload) {
    for (WebSocketConnection connection : server.connections()) {
      if (connection.session() instanceof StreamConnection stream) {
        stream.deliver(stream.route().forceOrderStreams(symbol), payload);
      }
    }
  }

  /** Sends a text verbatim to every open connection of a route. */
  void sendRaw(StreamRoute route, String text) {
    server.connections(route.routeName()).forEach(connection -> connection.send(text));
  }

  /** Applies an action (a fault, a disconnect) to every open connection of a market. */
  void forEach(MarketType market, Consumer<WebSocketConnection> action) {
    for (WebSocketConnection connection : server.connections()) {
      if (stream(connection).filter(s -> s.route().market() == market).isPresent()) {
        action.accept(connection);
      }
    }
  }

  int openConnections(MarketType market) {
    return open(market).size();
  }

  Set<String> subscriptions(MarketType market) {
    Set<String> streams = new LinkedHashSet<>();
    for (StreamConnection stream : open(market)) {
      streams.addAll(stream.streams());
    }
    return streams;
  }

  boolean subscribed(MarketType market, String name) {
    for (StreamConnection stream : open(market)) {
      if (stream.subscribed(name)) {
        return true;
      }
    }
    return false;
  }

  /** The streams of every connection, for messages. */
  List<String> describe() {
    return server.connections().stream().map(WebSocketConnection::toString).toList();
  }

  private List<StreamConnection> open(MarketType market) {
    List<StreamConnection> open = new ArrayList<>();
    for (WebSocketConnection connection : server.connections()) {
      stream(connection)
          .filter(stream -> stream.route().market() == market && connection.isOpen())
          .ifPresent(open::add);
    }
    return open;
  }

  private static Optional<StreamConnection> stream(WebSocketConnection connection) {
    return connection.session() instanceof StreamConnection stream
        ? Optional.of(stream)
        : Optional.empty();
  }
}
