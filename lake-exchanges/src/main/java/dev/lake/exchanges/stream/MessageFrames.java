package dev.lake.exchanges.stream;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.LakeRow;
import dev.lake.exchanges.json.MessageException;
import java.util.List;
import java.util.function.Function;

/**
 * Reads the frames of one connection share for any venue: parses each into one reused message (no
 * allocation per frame) and hands it to the venue's dispatch; a frame the parser or the dispatch
 * refuses ({@link MessageException}, {@link IllegalArgumentException}) is rejected with the reason,
 * under the symbol the message names where the venue can tell. Not thread-safe: one per share, on
 * its event loop.
 *
 * @param <M> the venue's parsed message
 */
public final class MessageFrames<M> {
  /** Parses a frame's bytes into a reused message, throwing {@link MessageException} if bad. */
  @FunctionalInterface
  public interface Parser<M> {
    void parse(byte[] bytes, int length, M into);
  }

  /** What the venue does with a parsed message: rows, a reply to skip, or a rejection. */
  @FunctionalInterface
  public interface Dispatch<M> {
    void dispatch(M message, Frame frame, List<LakeRow> rows);
  }

  private final M message;
  private final Parser<M> parser;
  private final Dispatch<M> dispatch;
  private final Function<M, String> symbolOfBadFrame;

  /**
   * @param message the message every frame is parsed into
   * @param symbolOfBadFrame the symbol a rejected frame is recorded under (null for none)
   */
  public MessageFrames(
      M message, Parser<M> parser, Dispatch<M> dispatch, Function<M, String> symbolOfBadFrame) {
    this.message = requireNonNull(message, "message is null");
    this.parser = requireNonNull(parser, "parser is null");
    this.dispatch = requireNonNull(dispatch, "dispatch is null");
    this.symbolOfBadFrame = requireNonNull(symbolOfBadFrame, "symbolOfBadFrame is null");
  }

  /** Parses a frame and dispatches it, or rejects it. */
  public void read(Frame frame, List<LakeRow> rows) {
    try {
      parser.parse(frame.bytes(), frame.length(), message);
      dispatch.dispatch(message, frame, rows);
    } catch (MessageException | IllegalArgumentException e) {
      frame.reject(symbolOfBadFrame.apply(message), e.getMessage(), rows);
    }
  }
}
