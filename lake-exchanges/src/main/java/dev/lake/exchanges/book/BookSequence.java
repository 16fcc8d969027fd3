package dev.lake.exchanges.book;

/**
 * How a venue numbers the messages of one book, and so how continuity is checked, what a duplicate
 * is, which ids a break leaves missing, and how a REST snapshot is stitched to buffered messages.
 * Every venue's book uses one of these.
 */
public enum BookSequence {
  /**
   * Each message covers ids {@code firstId..lastId}, and the next starts at most one past it:
   * Binance spot ({@code U = previous u + 1}), KuCoin spot ({@code sequenceStart <= last + 1}).
   * Venues with one id a message (Bybit {@code u}, KuCoin futures {@code sequence}, Kraken Futures
   * {@code seq}) set {@code firstId = lastId}. A REST snapshot at id S is followed by the message
   * that covers S + 1.
   */
  CONTIGUOUS {
    @Override
    boolean follows(BookMessage message, long last, long lastPrevious) {
      return message.firstId <= last + 1;
    }

    @Override
    boolean duplicate(BookMessage message, long last, long lastPrevious) {
      return message.lastId <= last;
    }

    @Override
    long missingTo(BookMessage message, long last) {
      return message.firstId - 1;
    }

    @Override
    boolean before(BookMessage message, long snapshotId) {
      return message.lastId <= snapshotId;
    }

    @Override
    boolean straddles(BookMessage message, long snapshotId) {
      return message.firstId <= snapshotId + 1 && message.lastId >= snapshotId + 1;
    }
  },

  /**
   * Each message names the id of the one before it, and ids increase: Binance USD-M ({@code pu =
   * previous u}). A REST snapshot at id S is followed by the message whose range covers S.
   */
  LINKED_INCREASING {
    @Override
    boolean follows(BookMessage message, long last, long lastPrevious) {
      return message.prevId == last;
    }

    @Override
    boolean duplicate(BookMessage message, long last, long lastPrevious) {
      return message.lastId <= last;
    }

    @Override
    long missingTo(BookMessage message, long last) {
      return message.prevId;
    }

    @Override
    boolean before(BookMessage message, long snapshotId) {
      return message.lastId < snapshotId;
    }

    @Override
    boolean straddles(BookMessage message, long snapshotId) {
      return message.firstId <= snapshotId && message.lastId >= snapshotId;
    }
  },

  /**
   * Each message names the id of the one before it; ids grow by irregular steps, a message that
   * changes nothing repeats the id ({@code seqId == prevSeqId}, a heartbeat), and after venue
   * maintenance ids may go down: OKX ({@code prevSeqId = last seqId}). Only the link is checked; a
   * duplicate is the same link seen twice. A REST snapshot at id S is followed by the message with
   * {@code prevId <= S < lastId}.
   */
  LINKED {
    @Override
    boolean follows(BookMessage message, long last, long lastPrevious) {
      return message.prevId == last;
    }

    @Override
    boolean duplicate(BookMessage message, long last, long lastPrevious) {
      return message.lastId == last && message.prevId == lastPrevious && message.prevId != last;
    }

    @Override
    long missingTo(BookMessage message, long last) {
      return message.prevId;
    }

    @Override
    boolean before(BookMessage message, long snapshotId) {
      return message.lastId <= snapshotId;
    }

    @Override
    boolean straddles(BookMessage message, long snapshotId) {
      return message.prevId <= snapshotId && snapshotId < message.lastId;
    }
  },

  /**
   * The venue numbers nothing per book (Kraken spot v2, Coinbase): lake assigns each message the id
   * {@code max(previous id + 1, receive time in microseconds)}, so ids grow across reconnects and
   * restarts. Continuity is checked by a checksum or by the connection's own sequence.
   */
  NONE {
    @Override
    boolean follows(BookMessage message, long last, long lastPrevious) {
      return true;
    }

    @Override
    boolean duplicate(BookMessage message, long last, long lastPrevious) {
      return false;
    }

    @Override
    long missingTo(BookMessage message, long last) {
      return last;
    }

    @Override
    boolean before(BookMessage message, long snapshotId) {
      return false;
    }

    @Override
    boolean straddles(BookMessage message, long snapshotId) {
      return true;
    }
  };

  /** True when a message continues the last one (whose id and previous id are given). */
  abstract boolean follows(BookMessage message, long last, long lastPrevious);

  /** True when a message was seen already and must not be stored again. */
  abstract boolean duplicate(BookMessage message, long last, long lastPrevious);

  /** The last id known missing when a message does not follow {@code last}. */
  abstract long missingTo(BookMessage message, long last);

  /** True when a buffered message is already part of a REST snapshot at {@code snapshotId}. */
  abstract boolean before(BookMessage message, long snapshotId);

  /** True when a message is the first to apply on a REST snapshot at {@code snapshotId}. */
  abstract boolean straddles(BookMessage message, long snapshotId);
}
