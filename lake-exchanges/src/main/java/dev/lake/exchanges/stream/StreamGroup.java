package dev.lake.exchanges.stream;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.LakeRow;
import dev.lake.exchanges.Outlet;
import dev.lake.exchanges.RowSink;
import dev.lake.exchanges.book.StreamEvents;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.transport.Transport;
import dev.lake.exchanges.transport.WebSocketListener;
import dev.lake.exchanges.transport.WebSocketSession;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A set of topics of one venue feed, spread over as many WebSocket connections as the venue's
 * topics-per-connection limit needs, the same way for every venue ({@link StreamProtocol} says what
 * differs). Each share of the topics is one {@link WebSocketSession} (reconnecting, renewed before
 * the venue's lifetime with overlap, reading paused while the sink is full) with its own {@link
 * Handler} on its own event loop. On every connection the group subscribes the share's topics in
 * requests of at most the venue's topics-per-request, spaced and capped per hour as the venue
 * demands; sends the venue's client keepalive; writes {@code connect} and {@code disconnect} rows;
 * counts frames; and turns frames a handler cannot read into {@code rejected_message} rows.
 *
 * <p>Topics added later fill the last share before new connections are opened. A topic can be
 * subscribed again alone (unsubscribe, then subscribe), which is how a book seeded from its stream
 * asks for a new snapshot.
 *
 * <p>Thread-safe; handlers are called on their share's event loop only.
 *
 * @param <H> the handler of one share
 */
public final class StreamGroup<H extends StreamGroup.Handler> {
  /** Reads the frames of one share of the topics. Called on that share's event loop only. */
  public interface Handler {
    /** A topic this share now carries; called before it is subscribed. */
    default void onTopic(String topic) {}

    /**
     * A frame arrived: add the rows it makes. A {@link MessageException} or {@link
     * IllegalArgumentException} rejects the frame (a {@code rejected_message} row without symbol);
     * {@link Frame#reject} rejects it naming a symbol.
     */
    void onFrame(Frame frame, List<LakeRow> rows);

    /** A connection of this share closed (another may still be open during a renewal). */
    default void onClose(String connectionId) {}
  }

  /** Where one share runs: its event loop and its outlet (to emit rows outside a frame). */
  public interface Share {
    EventLoop eventLoop();

    Outlet outlet();
  }

  private final Transport transport;
  private final StreamProtocol protocol;
  private final StreamEvents events;
  private final RowSink sink;
  private final Function<Share, H> handlers;
  private final StreamCounters counters;
  private final AtomicLong feedMessages;
  private final List<Connections> shares = new ArrayList<>();
  private final Map<String, Connections> shareByTopic = new HashMap<>();
  private final AtomicLong reconnects = new AtomicLong();
  private boolean closed;

  /**
   * @param events makes the feed's {@code stream_events} rows
   * @param handlers makes the handler of each share
   */
  public StreamGroup(
      Transport transport,
      StreamProtocol protocol,
      StreamEvents events,
      RowSink sink,
      StreamCounters counters,
      Function<Share, H> handlers) {
    this.transport = requireNonNull(transport, "transport is null");
    this.protocol = requireNonNull(protocol, "protocol is null");
    this.events = requireNonNull(events, "events is null");
    this.sink = requireNonNull(sink, "sink is null");
    this.counters = requireNonNull(counters, "counters is null");
    this.feedMessages = counters.feedMessages().apply(events.dataType());
    this.handlers = requireNonNull(handlers, "handlers is null");
    if (protocol.topicsPerConnection() < 1 || protocol.topicsPerRequest() < 1) {
      throw new IllegalArgumentException(
          "Invalid stream limits: "
              + protocol.topicsPerConnection()
              + " topics per connection, "
              + protocol.topicsPerRequest()
              + " per request (expected at least 1 each)");
    }
  }

  /**
   * Starts carrying topics not carried yet: in the last share while it has room, then on new
   * connections. Topics carried already are skipped.
   */
  public synchronized void add(Collection<String> topics) {
    if (closed) {
      return;
    }
    Map<Connections, List<String>> added = new LinkedHashMap<>();
    for (String topic : topics) {
      if (shareByTopic.containsKey(topic)) {
        continue;
      }
      Connections share = shares.isEmpty() ? null : shares.get(shares.size() - 1);
      if (share == null || share.assigned >= protocol.topicsPerConnection()) {
        share = new Connections();
        shares.add(share);
      }
      share.assigned++;
      shareByTopic.put(topic, share);
      added.computeIfAbsent(share, s -> new ArrayList<>()).add(topic);
    }
    added.forEach(Connections::add);
  }

  /**
   * Subscribes one topic again on its newest connection: an unsubscribe, then a subscribe, within
   * the venue's request limits.
   *
   * @throws IllegalArgumentException when the group does not carry the topic
   */
  public synchronized void resubscribe(String topic) {
    Connections share = shareByTopic.get(topic);
    if (share == null) {
      throw new IllegalArgumentException(
          "Invalid topic: " + topic + " (expected one this stream carries)");
    }
    share.resubscribe(topic);
  }

  /** Closes every connection; no reconnects. */
  public synchronized void close() {
    closed = true;
    shares.forEach(share -> share.socket.close());
  }

  /** Connections open now (two for a share being renewed); safe from any thread. */
  public synchronized int openConnections() {
    return shares.stream().mapToInt(share -> share.socket.openConnections()).sum();
  }

  /** Attempts to connect that failed before a connection opened. */
  public synchronized long failedConnections() {
    return shares.stream().mapToLong(share -> share.socket.failedAttempts()).sum();
  }

  /** Connections that closed after opening and are being reopened (not those closed by lake). */
  public long reconnects() {
    return reconnects.get();
  }

  /** The handlers of every share, oldest first (their state belongs to their event loops). */
  public synchronized List<H> handlers() {
    return shares.stream().map(share -> share.handler).toList();
  }

  /** The topics carried, in the order they were added. */
  public synchronized List<String> topics() {
    return List.copyOf(shareByTopic.keySet());
  }

  /** One open connection of a share: its request pacing and keepalive. */
  private static final class Connection {
    final String id;
    final RequestPacer pacer;
    ScheduledFuture<?> keepalive;
    boolean greeted;

    Connection(String id, RequestPacer pacer) {
      this.id = id;
      this.pacer = pacer;
    }
  }

  /** The connections of one share of the topics. */
  private final class Connections implements WebSocketListener, Share {
    final WebSocketSession socket;
    final Outlet outlet;
    final H handler;
    final Frame frame;
    final List<String> topics = new ArrayList<>(); // event loop only
    final Map<String, Connection> open = new LinkedHashMap<>(); // event loop only
    int assigned; // under the group's lock
    boolean started; // under the group's lock
    long requestIds;

    Connections() {
      this.socket =
          new WebSocketSession(
              transport, protocol.url(), protocol::connectStep, this, protocol.options());
      this.outlet = new Outlet(sink, () -> socket.setReading(false), () -> socket.setReading(true));
      this.frame = new Frame(events, counters.rejected());
      this.handler = handlers.apply(this);
    }

    @Override
    public EventLoop eventLoop() {
      return socket.eventLoop();
    }

    @Override
    public Outlet outlet() {
      return outlet;
    }

    void add(List<String> fresh) {
      socket
          .eventLoop()
          .execute(
              () -> {
                for (String topic : fresh) {
                  handler.onTopic(topic);
                }
                topics.addAll(fresh);
                for (Connection connection : open.values()) {
                  subscribe(connection, fresh);
                }
              });
      if (!started) {
        started = true;
        socket.start();
      }
    }

    void resubscribe(String topic) {
      socket
          .eventLoop()
          .execute(
              () -> {
                Connection newest = null;
                for (Connection connection : open.values()) {
                  newest = connection;
                }
                if (newest == null) {
                  return; // the next connection subscribes it anyway
                }
                request(newest, protocol.unsubscribe(List.of(topic), ++requestIds));
                request(newest, protocol.subscribe(List.of(topic), ++requestIds));
              });
    }

    private void subscribe(Connection connection, List<String> batchable) {
      int per = protocol.topicsPerRequest();
      for (int i = 0; i < batchable.size(); i += per) {
        List<String> batch = List.copyOf(batchable.subList(i, Math.min(batchable.size(), i + per)));
        request(connection, protocol.subscribe(batch, ++requestIds));
      }
    }

    private void request(Connection connection, String text) {
      connection.pacer.send(() -> socket.send(connection.id, text));
    }

    @Override
    public void onOpen(WebSocketSession session, String connectionId) {
      Connection connection =
          new Connection(
              connectionId,
              new RequestPacer(
                  socket.eventLoop(),
                  () -> transport.clock().nowMillis(),
                  protocol.requestSpacing().toMillis(),
                  protocol.requestsPerHour()));
      open.put(connectionId, connection);
      if (!protocol.greets()) {
        begin(connection);
      }
      outlet.emit(
          List.of(events.connected(protocol.url(), connectionId, topics.size(), nowMicros())));
    }

    /** Subscribes a connection's topics and starts its keepalive: on open, or on the greeting. */
    private void begin(Connection connection) {
      connection.greeted = true;
      String opening = protocol.connectRequest(++requestIds);
      if (opening != null) {
        request(connection, opening);
      }
      subscribe(connection, topics);
      StreamProtocol.Keepalive keepalive = protocol.keepalive();
      if (keepalive != null) {
        long interval = keepalive.interval().toMillis();
        long[] count = {0};
        String connectionId = connection.id;
        connection.keepalive =
            socket
                .eventLoop()
                .scheduleAtFixedRate(
                    () -> socket.send(connectionId, keepalive.frame().apply(++count[0])),
                    interval,
                    interval,
                    TimeUnit.MILLISECONDS);
      }
    }

    @Override
    public void onClose(String connectionId, String reason, boolean reconnecting) {
      Connection connection = open.remove(connectionId);
      if (connection != null && connection.keepalive != null) {
        connection.keepalive.cancel(false);
      }
      handler.onClose(connectionId);
      if (reconnecting) {
        reconnects.incrementAndGet();
      }
      outlet.emit(
          List.of(
              events.disconnected(
                  protocol.url(), connectionId, reason, reconnecting, nowMicros())));
    }

    @Override
    public void onMessage(ByteBuf content, long receivedMicros, String connectionId) {
      counters.messages().incrementAndGet();
      feedMessages.incrementAndGet();
      frame.set(content, receivedMicros, connectionId);
      if (protocol.isKeepaliveReply(frame)) {
        return;
      }
      if (protocol.greets()) {
        Connection connection = open.get(connectionId);
        if (connection != null && !connection.greeted && protocol.isGreeting(frame)) {
          begin(connection);
          return;
        }
      }
      List<LakeRow> rows = new ArrayList<>(32);
      try {
        handler.onFrame(frame, rows);
      } catch (MessageException | IllegalArgumentException e) {
        frame.reject(null, e.getMessage(), rows);
      }
      outlet.emit(rows);
    }

    private long nowMicros() {
      return transport.clock().nowMicros();
    }
  }
}
