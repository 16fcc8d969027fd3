package dev.lake.exchanges.coinbase;

import java.util.HashMap;
import java.util.Map;

/**
 * Coinbase's {@code sequence_num}: one counter per connection over every channel, heartbeats and
 * acknowledgements included, so the next message of a connection is numbered one past the last. Not
 * thread-safe: one per connection share, on its event loop.
 */
final class CoinbaseConnectionSequence {
  /** How a message's number stands against the last one of its connection. */
  enum Verdict {
    /** The first of its connection, or one past the last. */
    NEXT,
    /** Not past the last: seen already. */
    REPEATED,
    /** Past the last by more than one: messages were lost. */
    BROKEN
  }

  private final Map<String, long[]> last = new HashMap<>();
  private long before;

  /** Checks a message's number and, unless repeated, keeps it as its connection's last. */
  Verdict check(String connectionId, long sequence) {
    long[] slot = last.get(connectionId);
    if (slot == null) {
      last.put(connectionId, new long[] {sequence});
      return Verdict.NEXT;
    }
    before = slot[0];
    if (sequence <= slot[0]) {
      return Verdict.REPEATED;
    }
    slot[0] = sequence;
    return sequence == before + 1 ? Verdict.NEXT : Verdict.BROKEN;
  }

  /** The connection's number before the message last checked (for details). */
  long before() {
    return before;
  }

  void forget(String connectionId) {
    last.remove(connectionId);
  }
}
