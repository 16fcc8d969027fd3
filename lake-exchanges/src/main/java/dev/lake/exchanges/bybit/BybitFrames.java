package dev.lake.exchanges.bybit;

import dev.lake.core.model.LakeRow;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.stream.Frame;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the frames of one Bybit stream connection share: parses each into a reused message, hands
 * the kind the feed carries to it, takes acknowledgements and pongs, and rejects refused requests
 * ({@code "success":false}, e.g. more than 10 topics in a spot subscribe), unexpected topics and
 * unreadable frames. Not thread-safe: one per share, on its event loop.
 */
final class BybitFrames {
  private static final Logger LOG = LoggerFactory.getLogger(BybitFrames.class);

  /** What a feed does with a message of its kind. */
  @FunctionalInterface
  interface Reader {
    void read(BybitMessages.WsMessage message, Frame frame, List<LakeRow> rows);
  }

  private final String name;
  private final BybitMessages.Kind kind;
  private final Reader reader;
  private final Function<BybitMessages.WsMessage, String> symbolOfBadFrame;
  private final BybitMessages.WsMessage message = new BybitMessages.WsMessage();

  /**
   * @param symbolOfBadFrame the symbol a rejected frame is recorded under (null for none)
   */
  BybitFrames(
      String name,
      BybitMessages.Kind kind,
      Reader reader,
      Function<BybitMessages.WsMessage, String> symbolOfBadFrame) {
    this.name = name;
    this.kind = kind;
    this.reader = reader;
    this.symbolOfBadFrame = symbolOfBadFrame;
  }

  void read(Frame frame, List<LakeRow> rows) {
    try {
      BybitMessages.parse(frame.bytes(), frame.length(), message);
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
      case ERROR -> frame.reject(null, "request refused by Bybit: " + message.replyMessage, rows);
      case OTHER -> frame.reject(null, "unexpected message without topic", rows);
      default -> frame.reject(null, "unexpected " + message.kind + " message on this feed", rows);
    }
  }
}
