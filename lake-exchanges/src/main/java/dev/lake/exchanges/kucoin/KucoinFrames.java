package dev.lake.exchanges.kucoin;

import dev.lake.core.model.LakeRow;
import dev.lake.exchanges.stream.Frame;
import dev.lake.exchanges.stream.MessageFrames;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the frames of one KuCoin connection share on the shared {@link MessageFrames}: hands the
 * kind the feed carries to it, logs acknowledgements, and rejects errors, other topics and
 * unreadable frames. {@code welcome} and {@code pong} are taken by the stream protocol first.
 */
final class KucoinFrames {
  private static final Logger LOG = LoggerFactory.getLogger(KucoinFrames.class);

  private KucoinFrames() {}

  /** What a feed does with a message of its kind. */
  @FunctionalInterface
  interface Reader {
    void read(KucoinMessages.WsMessage message, Frame frame, List<LakeRow> rows);
  }

  static MessageFrames<KucoinMessages.WsMessage> reader(
      String name, KucoinMessages.Kind kind, Reader reader) {
    return new MessageFrames<>(
        new KucoinMessages.WsMessage(),
        KucoinMessages::parse,
        (message, frame, rows) -> {
          if (message.kind == kind) {
            reader.read(message, frame, rows);
            return;
          }
          switch (message.kind) {
            case ACK, WELCOME, PONG -> LOG.debug("{}: {}", name, frame.text());
            case ERROR ->
                frame.reject(
                    message.symbolOrNull(),
                    "error from KuCoin: code " + message.code + ": " + message.errorData,
                    rows);
            default ->
                frame.reject(
                    message.symbolOrNull(),
                    "unexpected message"
                        + (message.topic == null ? "" : " of topic " + message.topic)
                        + (message.subject == null ? "" : " subject " + message.subject),
                    rows);
          }
        },
        KucoinMessages.WsMessage::symbolOrNull);
  }
}
