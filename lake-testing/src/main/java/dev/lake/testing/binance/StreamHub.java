package dev.lake.testing.binance;

import dev.lake.core.model.MarketType;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open WebSocket connections, and delivery of events to those subscribed. Thread-safe; events
 * handed over from one thread reach each connection in the order they were handed over.
 */
final class StreamHub {
  private static final Logger LOG = LoggerFactory.getLogger(StreamHub.class);

  private final Set<StreamConnection> connections = ConcurrentHashMap.newKeySet();
  private final Map<MarketType, AtomicInteger> pongs = new EnumMap<>(MarketType.class);
  private final Duration pingInterval;

  StreamHub(Duration pingInterval) {
    this.pingInterval = pingInterval;
    for (MarketType market : MarketType.values()) {
      pongs.put(market, new AtomicInteger());
    }
  }

  /** Adds a connection whose handshake is done and starts pinging it. */
  void register(StreamConnection connection) {
    connections.add(connection);
    connection.startPings(pingInterval);
    LOG.debug("Binance fake: connection opened: {}", connection);
  }

  void unregister(StreamConnection connection) {
    if (connections.remove(connection)) {
      LOG.debug("Binance fake: connection closed: {}", connection);
    }
  }

  void pong(StreamConnection connection) {
    pongs.get(connection.route().market()).incrementAndGet();
  }

  int pongs(MarketType market) {
    return pongs.get(market).get();
  }

  /** Sends a depth payload to the connections of the market subscribed to the symbol's depth. */
  void depth(MarketType market, String symbol, String payload) {
    for (StreamConnection connection : connections) {
      if (connection.route().market() == market) {
        connection.deliver(connection.route().depthStreams(symbol), payload);
      }
    }
  }

  /** Sends a trade to the connections of the market subscribed to the symbol's trades. */
  void trade(MarketType market, String symbol, String payload) {
    for (StreamConnection connection : connections) {
      if (connection.route().market() == market) {
        connection.deliver(connection.route().tradeStreams(symbol), payload);
      }
    }
  }

  /** Sends a liquidation to the futures connections subscribed to it (only {@code /market}). */
  void forceOrder(String symbol, String payload) {
    for (StreamConnection connection : connections) {
      connection.deliver(connection.route().forceOrderStreams(symbol), payload);
    }
  }

  /** Sends a text verbatim to every open connection of a route. */
  void sendRaw(StreamRoute route, String text) {
    for (StreamConnection connection : connections) {
      if (connection.route() == route) {
        connection.send(text);
      }
    }
  }

  void abortAll(MarketType market) {
    for (StreamConnection connection : connections) {
      if (connection.route().market() == market) {
        connection.abort();
      }
    }
  }

  void abortAll() {
    connections.forEach(StreamConnection::abort);
  }

  int openConnections(MarketType market) {
    int open = 0;
    for (StreamConnection connection : connections) {
      if (connection.route().market() == market && connection.isOpen()) {
        open++;
      }
    }
    return open;
  }

  Set<String> subscriptions(MarketType market) {
    Set<String> streams = new LinkedHashSet<>();
    for (StreamConnection connection : connections) {
      if (connection.route().market() == market && connection.isOpen()) {
        streams.addAll(connection.streams());
      }
    }
    return streams;
  }

  boolean subscribed(MarketType market, String stream) {
    for (StreamConnection connection : connections) {
      if (connection.route().market() == market
          && connection.isOpen()
          && connection.subscribed(stream)) {
        return true;
      }
    }
    return false;
  }

  /** The streams of every connection, for messages. */
  List<String> describe() {
    return connections.stream().map(StreamConnection::toString).toList();
  }
}
