package dev.lake.exchanges.kraken;

import dev.lake.core.model.LakeRow;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.stream.Frame;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the frames of one Kraken connection share: parses each into a reused message, hands the
 * kind the feed carries to it, logs replies (subscribe acknowledgements, a futures trade snapshot),
 * skips heartbeats and status updates, and rejects errors, other channels and unreadable frames.
 * Pongs never get here: the stream protocol takes them as the keepalive's answer. Not thread-safe:
 * one per share, on its event loop.
 */
final class KrakenFrames {
  private static final Logger LOG = LoggerFactory.getLogger(KrakenFrames.class);

  /** What a feed does with a message of its kind. */
  @FunctionalInterface
  interface Reader {
    void read(KrakenMessages.WsMessage message, Frame frame, List<LakeRow> rows);
  }

  private final KrakenMarket market;
  private final KrakenMessages.Kind kind;
  private final Reader reader;
  private final KrakenMessages.WsMessage message = new KrakenMessages.WsMessage();

  KrakenFrames(KrakenMarket market, KrakenMessages.Kind kind, Reader reader) {
    this.market = market;
    this.kind = kind;
    this.reader = reader;
  }

  void read(Frame frame, List<LakeRow> rows) {
    try {
      market.parse(frame.bytes(), frame.length(), message);
      dispatch(frame, rows);
    } catch (MessageException | IllegalArgumentException e) {
      frame.reject(message.symbol, e.getMessage(), rows);
    }
  }

  private void dispatch(Frame frame, List<LakeRow> rows) {
    if (message.kind == kind) {
      reader.read(message, frame, rows);
      return;
    }
    switch (message.kind) {
      case REPLY -> LOG.debug("{}: {}", market.name(), frame.text());
      case HEARTBEAT, STATUS -> {}
      case ERROR -> frame.reject(message.symbol, "error from Kraken: " + message.error, rows);
      default ->
          frame.reject(
              message.symbol,
              "unexpected message"
                  + (message.channel == null ? "" : " of channel " + message.channel),
              rows);
    }
  }
}
