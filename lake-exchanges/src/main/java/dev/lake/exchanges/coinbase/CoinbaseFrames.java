package dev.lake.exchanges.coinbase;

import dev.lake.core.model.LakeRow;
import dev.lake.exchanges.stream.Frame;
import dev.lake.exchanges.stream.MessageFrames;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a Coinbase feed reads its frames (on the shared {@link MessageFrames}): every message's
 * {@code sequence_num} is checked against its connection's ({@link CoinbaseConnectionSequence}); a
 * message numbered again is rejected; a break is handed to the feed before the message; messages of
 * the feed's channel go to the feed; heartbeats and subscription acknowledgements count for the
 * sequence only; an {@code error} (a refused subscribe) and another channel are rejected.
 */
final class CoinbaseFrames {
  private static final Logger LOG = LoggerFactory.getLogger(CoinbaseFrames.class);

  /** What a feed does with its messages and with a break in its connection's sequence. */
  interface Reader {
    void read(CoinbaseMessages.WsMessage message, Frame frame, List<LakeRow> rows);

    /** Messages before this one on its connection were lost. */
    default void onBreak(String detail, Frame frame, List<LakeRow> rows) {}
  }

  private final String name;
  private final Set<CoinbaseMessages.Channel> channels;
  private final Reader reader;
  private final CoinbaseConnectionSequence sequence = new CoinbaseConnectionSequence();
  private final MessageFrames<CoinbaseMessages.WsMessage> frames;

  /**
   * @param parser Advanced Trade's ({@link CoinbaseMessages#parse}) or INTX's ({@link
   *     IntxMessages#parse})
   * @param channels the channels the feed reads
   */
  CoinbaseFrames(
      String name,
      MessageFrames.Parser<CoinbaseMessages.WsMessage> parser,
      Set<CoinbaseMessages.Channel> channels,
      Reader reader) {
    this.name = name;
    this.channels = Set.copyOf(channels);
    this.reader = reader;
    this.frames =
        new MessageFrames<>(new CoinbaseMessages.WsMessage(), parser, this::dispatch, m -> null);
  }

  void read(Frame frame, List<LakeRow> rows) {
    frames.read(frame, rows);
  }

  /** A connection closed: its numbering ends with it. */
  void onClose(String connectionId) {
    sequence.forget(connectionId);
  }

  private void dispatch(CoinbaseMessages.WsMessage message, Frame frame, List<LakeRow> rows) {
    if (message.channel == CoinbaseMessages.Channel.ERROR) {
      frame.reject(null, "request refused by Coinbase: " + message.errorMessage, rows);
      return;
    }
    CoinbaseConnectionSequence.Verdict verdict =
        message.hasSequence
            ? sequence.check(frame.connectionId(), message.sequenceNum)
            : CoinbaseConnectionSequence.Verdict.NEXT; // INTX numbers no subscription confirmation
    switch (verdict) {
      case REPEATED -> {
        frame.reject(
            null,
            "repeated sequence_num "
                + message.sequenceNum
                + " (last "
                + sequence.before()
                + " on "
                + frame.connectionId()
                + ")",
            rows);
        return;
      }
      case BROKEN ->
          reader.onBreak(
              "sequence_num "
                  + message.sequenceNum
                  + " after "
                  + sequence.before()
                  + " on "
                  + frame.connectionId()
                  + " ("
                  + message.channelName
                  + "): messages of the connection were lost",
              frame,
              rows);
      case NEXT -> {}
    }
    if (channels.contains(message.channel)) {
      reader.read(message, frame, rows);
      return;
    }
    switch (message.channel) {
      case HEARTBEATS -> {}
      case SUBSCRIPTIONS -> LOG.debug("{}: {}", name, frame.text());
      default ->
          frame.reject(null, "unexpected channel " + message.channelName + " on this feed", rows);
    }
  }
}
