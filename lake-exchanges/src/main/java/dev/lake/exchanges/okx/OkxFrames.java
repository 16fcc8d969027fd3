package dev.lake.exchanges.okx;

import dev.lake.core.model.LakeRow;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.stream.Frame;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the frames of one OKX connection share: parses each into a reused message, hands the kind
 * the feed carries to it, logs subscribe acknowledgements and notices, and rejects errors, other
 * channels and unreadable frames. {@code pong} never gets here: the stream protocol takes it as the
 * keepalive's answer. Not thread-safe: one per share, on its event loop.
 */
final class OkxFrames {
  private static final Logger LOG = LoggerFactory.getLogger(OkxFrames.class);

  /** What a feed does with a message of its kind. */
  @FunctionalInterface
  interface Reader {
    void read(OkxMessages.WsMessage message, Frame frame, List<LakeRow> rows);
  }

  private final String name;
  private final OkxMessages.Kind kind;
  private final OkxContractSizes sizes;
  private final Reader reader;
  private final OkxMessages.WsMessage message = new OkxMessages.WsMessage();

  OkxFrames(String name, OkxMessages.Kind kind, OkxContractSizes sizes, Reader reader) {
    this.name = name;
    this.kind = kind;
    this.sizes = sizes;
    this.reader = reader;
  }

  void read(Frame frame, List<LakeRow> rows) {
    try {
      OkxMessages.parse(frame.bytes(), frame.length(), message, sizes);
      dispatch(frame, rows);
    } catch (MessageException | IllegalArgumentException e) {
      frame.reject(message.symbol(), e.getMessage(), rows);
    }
  }

  private void dispatch(Frame frame, List<LakeRow> rows) {
    if (message.kind == kind) {
      reader.read(message, frame, rows);
      return;
    }
    switch (message.kind) {
      case REPLY -> LOG.debug("{}: {}", name, frame.text());
      case NOTICE -> LOG.info("{}: notice from OKX: {} {}", name, message.code, message.msg);
      case ERROR ->
          frame.reject(null, "error from OKX: code " + message.code + ": " + message.msg, rows);
      default ->
          frame.reject(
              null,
              "unexpected message"
                  + (message.channel == null ? "" : " of channel " + message.channel),
              rows);
    }
  }
}
