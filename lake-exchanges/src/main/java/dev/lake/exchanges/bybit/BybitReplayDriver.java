package dev.lake.exchanges.bybit;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.exchanges.book.BookSync;
import java.util.List;

/**
 * Drives the Bybit parser and one book sync with frames of a recording, as the connector does on
 * its event loop, without sockets: the benchmark's view of Bybit's hot path (parse, validate by
 * Bybit's rules, apply, rows). Deltas may be replayed in a loop: each is given the next {@code u},
 * so the book stays in sequence. One instance per thread.
 */
public final class BybitReplayDriver {
  private final BookSync sync;
  private final BybitMessages.WsMessage message = new BybitMessages.WsMessage();
  private long nextId;

  public BybitReplayDriver(MarketType market, String symbol) {
    this.sync = new BookSync(BybitVenue.NAME, market, symbol, BybitBooks.RULES, null, (s, d) -> {});
  }

  /** Parses a snapshot frame and loads the book from it; deltas continue from its {@code u}. */
  public void snapshot(byte[] frame, long receivedMicros, List<LakeRow> rows) {
    BybitMessages.parse(frame, frame.length, message);
    nextId = message.book.lastId + 1;
    sync.onMessage(message.book, receivedMicros, rows);
  }

  /** Parses a delta frame, numbers it next in sequence and hands it to the book. */
  public void delta(byte[] frame, long receivedMicros, List<LakeRow> rows) {
    BybitMessages.parse(frame, frame.length, message);
    if (message.kind != BybitMessages.Kind.BOOK || message.book.snapshot) {
      throw new IllegalStateException("not a book delta: " + message.kind);
    }
    message.book.firstId = message.book.lastId = nextId++;
    sync.onMessage(message.book, receivedMicros, rows);
  }

  /** Parses a frame only; returns its level count so that nothing is dead code. */
  public int parseOnly(byte[] frame) {
    BybitMessages.parse(frame, frame.length, message);
    return message.book.bids.count + message.book.asks.count;
  }

  public long validated() {
    return sync.validated();
  }

  public long gaps() {
    return sync.gaps() + sync.duplicates();
  }
}
