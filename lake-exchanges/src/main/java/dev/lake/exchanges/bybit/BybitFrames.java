package dev.lake.exchanges.bybit;

import dev.lake.core.model.LakeRow;
import dev.lake.exchanges.stream.Frame;
import dev.lake.exchanges.stream.MessageFrames;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a Bybit feed reads its frames (on the shared {@link MessageFrames}): the message of the
 * feed's kind goes to the feed; acknowledgements and pongs are logged at debug level; a refused
 * request ({@code "success":false}, e.g. more than 10 topics in a spot subscribe) and a message of
 * another kind are rejected with the reason.
 */
final class BybitFrames {
  private static final Logger LOG = LoggerFactory.getLogger(BybitFrames.class);

  /** What a feed does with a message of its kind. */
  @FunctionalInterface
  interface Reader {
    void read(BybitMessages.WsMessage message, Frame frame, List<LakeRow> rows);
  }

  private BybitFrames() {}

  /**
   * A reader of one connection share's frames (one message reused per share).
   *
   * @param symbolOfBadFrame the symbol a rejected frame is recorded under (null for none)
   */
  static MessageFrames<BybitMessages.WsMessage> reader(
      String name,
      BybitMessages.Kind kind,
      Reader reader,
      Function<BybitMessages.WsMessage, String> symbolOfBadFrame) {
    return new MessageFrames<>(
        new BybitMessages.WsMessage(),
        BybitMessages::parse,
        (message, frame, rows) -> {
          if (message.kind == kind) {
            reader.read(message, frame, rows);
            return;
          }
          switch (message.kind) {
            case REPLY -> LOG.debug("{}: {}", name, frame.text());
            case ERROR ->
                frame.reject(null, "request refused by Bybit: " + message.replyMessage, rows);
            case OTHER -> frame.reject(null, "unexpected message without topic", rows);
            default ->
                frame.reject(null, "unexpected " + message.kind + " message on this feed", rows);
          }
        },
        symbolOfBadFrame);
  }
}
