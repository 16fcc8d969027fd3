package dev.lake.exchanges.stream;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.Liquidation;
import dev.lake.core.model.StreamEvent;
import dev.lake.exchanges.RowSink;
import dev.lake.exchanges.book.StreamEvents;
import dev.lake.exchanges.transport.Transport;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A WebSocket feed of events (liquidations, trades, tickers, funding, open interest) of any venue:
 * its topics on a {@link StreamGroup}, the venue's {@link Parser} turning each frame into rows (or
 * rejecting it), and, where the venue's events carry no sequence, a window of recent events so that
 * an event seen on both connections while one is renewed is written once. Thread-safe.
 */
public final class EventFeed {
  /** Reads one venue's frames of a feed. One per share of the topics, on its event loop. */
  @FunctionalInterface
  public interface Parser {
    /**
     * Adds the rows a frame makes: none for replies and keepalives the venue sends. Rejects what it
     * cannot read by throwing {@link dev.lake.exchanges.json.MessageException} or with {@link
     * Frame#reject}.
     */
    void parse(Frame frame, List<LakeRow> rows);
  }

  private static final int RECENT = 1024;

  /**
   * What makes two liquidations the same event where the venue gives them no id: symbol, time,
   * side, price and quantity (for {@code identity} of liquidation feeds).
   */
  public static Object liquidationIdentity(LakeRow row) {
    Liquidation liquidation = (Liquidation) row;
    return liquidation.symbol()
        + '|'
        + liquidation.timestampMs()
        + '|'
        + liquidation.side()
        + '|'
        + liquidation.price()
        + '|'
        + liquidation.quantity();
  }

  private final StreamGroup<Handler> group;

  /**
   * @param parsers makes a parser per share of the topics
   * @param identity what makes two rows the same event, for feeds without a sequence (e.g. a
   *     liquidation's symbol, time, side, price and quantity); null where the parser tells repeats
   *     itself (trades by their ids)
   */
  public EventFeed(
      Transport transport,
      StreamProtocol protocol,
      StreamEvents events,
      RowSink sink,
      StreamCounters counters,
      Supplier<? extends Parser> parsers,
      Function<LakeRow, Object> identity) {
    requireNonNull(parsers, "parsers is null");
    this.group =
        new StreamGroup<>(
            transport,
            protocol,
            events,
            sink,
            counters,
            share -> new Handler(parsers.get(), identity));
  }

  /** Starts carrying topics (those carried already are skipped). */
  public void add(Collection<String> topics) {
    group.add(topics);
  }

  public void close() {
    group.close();
  }

  public int openConnections() {
    return group.openConnections();
  }

  public long failedConnections() {
    return group.failedConnections();
  }

  /** Connections lost and being reopened. */
  public long reconnects() {
    return group.reconnects();
  }

  /** The topics carried. */
  public List<String> topics() {
    return group.topics();
  }

  static final class Handler implements StreamGroup.Handler {
    private final Parser parser;
    private final Function<LakeRow, Object> identity;
    private final Set<Object> recent = new LinkedHashSet<>();

    Handler(Parser parser, Function<LakeRow, Object> identity) {
      this.parser = requireNonNull(parser, "parser is null");
      this.identity = identity;
    }

    @Override
    public void onFrame(Frame frame, List<LakeRow> rows) {
      parser.parse(frame, rows);
      if (identity != null && !rows.isEmpty()) {
        rows.removeIf(row -> !(row instanceof StreamEvent) && !firstSeen(identity.apply(row)));
      }
    }

    private boolean firstSeen(Object key) {
      if (!recent.add(key)) {
        return false;
      }
      if (recent.size() > RECENT) {
        recent.remove(recent.iterator().next());
      }
      return true;
    }
  }
}
