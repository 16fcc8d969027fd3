package dev.lake.exchanges.stream;

import java.util.HashMap;
import java.util.Map;

/**
 * The last trade id seen per symbol, for venues that number trades contiguously per symbol (Binance
 * {@code t}): tells the next trade from a gap, a repeat, and the overlap of a connection being
 * renewed (the same trades arriving on both connections). Not thread-safe: one per share of the
 * topics, on its event loop.
 */
public final class TradeIds {
  /** How a trade id compares with the last one seen for its symbol. */
  public enum Verdict {
    /** The first trade of the symbol, or the one after the last. */
    NEXT,
    /** Ids between the last and this one are missing: from {@link #lastId()} + 1 to this - 1. */
    GAP,
    /** Not past the last id, on the connection that delivered the last: a repeat. */
    DUPLICATE,
    /** Not past the last id, on another connection: the overlap of a renewal, dropped quietly. */
    OVERLAP
  }

  private static final class Last {
    long id;
    String connectionId;
  }

  private final Map<String, Last> last = new HashMap<>();
  private long previous;

  /**
   * Checks a trade id and, for {@code NEXT} and {@code GAP}, takes it as the symbol's last. After
   * the call {@link #lastId()} is the symbol's last id before it.
   */
  public Verdict check(String symbol, long id, String connectionId) {
    Last state = last.get(symbol);
    if (state == null) {
      state = new Last();
      state.id = id;
      state.connectionId = connectionId;
      last.put(symbol, state);
      previous = id - 1;
      return Verdict.NEXT;
    }
    previous = state.id;
    if (id <= state.id) {
      return connectionId.equals(state.connectionId) ? Verdict.DUPLICATE : Verdict.OVERLAP;
    }
    state.id = id;
    state.connectionId = connectionId;
    return id == previous + 1 ? Verdict.NEXT : Verdict.GAP;
  }

  /** The symbol's last id before the one just checked. */
  public long lastId() {
    return previous;
  }
}
