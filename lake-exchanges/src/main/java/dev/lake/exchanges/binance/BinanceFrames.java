package dev.lake.exchanges.binance;

import dev.lake.core.model.LakeRow;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.stream.Frame;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the frames of one Binance stream connection share: parses each into a reused message, hands
 * the kind the feed carries to it, takes replies to requests, and rejects errors, unknown events
 * and unreadable frames. Not thread-safe: one per share, on its event loop.
 */
final class BinanceFrames {
  private static final Logger LOG = LoggerFactory.getLogger(BinanceFrames.class);

  /** What a feed does with a message of its kind. */
  @FunctionalInterface
  interface Reader {
    void read(BinanceMessages.WsMessage message, Frame frame, List<LakeRow> rows);
  }

  private final String name;
  private final BinanceMessages.Kind kind;
  private final Reader reader;
  private final Function<BinanceMessages.WsMessage, String> symbolOfBadFrame;
  private final BinanceMessages.WsMessage message = new BinanceMessages.WsMessage();

  /**
   * @param symbolOfBadFrame the symbol a rejected frame is recorded under (null for none)
   */
  BinanceFrames(
      String name,
      BinanceMessages.Kind kind,
      Reader reader,
      Function<BinanceMessages.WsMessage, String> symbolOfBadFrame) {
    this.name = name;
    this.kind = kind;
    this.reader = reader;
    this.symbolOfBadFrame = symbolOfBadFrame;
  }

  void read(Frame frame, List<LakeRow> rows) {
    try {
      BinanceMessages.parse(frame.bytes(), frame.length(), message);
      dispatch(frame, rows);
    } catch (MessageException | IllegalArgumentException e) {
      frame.reject(symbolOfBadFrame.apply(message), e.getMessage(), rows);
    }
  }

  private void dispatch(Frame frame, List<LakeRow> rows) {
    if (message.kind == kind) {
      reader.read(message, frame, rows);
      return;
    }
    switch (message.kind) {
      case REPLY -> LOG.debug("{}: {}", name, frame.text());
      case ERROR -> frame.reject(null, "error from Binance: " + message.error, rows);
      default ->
          frame.reject(
              null,
              "unexpected message"
                  + (message.eventType == null ? "" : " of type " + message.eventType),
              rows);
    }
  }
}
