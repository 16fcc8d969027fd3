package dev.lake.core.write;

import dev.lake.core.model.LakeRow;
import java.util.List;

/**
 * A second consumer of a writer's rows, fed from its write-ahead log on a thread of its own (the
 * writer's appends never wait for it): for example a Kafka producer. Set with {@link
 * LakeWriter.Builder#logFollower}.
 *
 * <p><b>Contract.</b> The follower keeps its own position in the log: the end of the last batch it
 * delivered. The writer asks for it ({@link #deliveredPosition}) before the first batch and after
 * every failed one, and then offers batches from there, in log order, each exactly once unless
 * {@link #deliver} fails. The log keeps every record from the follower's position on (and every
 * record not yet committed to the tables); a follower that falls behind, e.g. because its
 * destination is down, holds the log back, and past the log's disk budget the writer's {@link
 * WalFullPolicy} applies, as in a catalog outage. A follower that records its position atomically
 * with each batch's rows (in one transaction) delivers every row exactly once across crashes.
 *
 * <p>Rows the log no longer holds when a follower starts (trimmed before the follower was
 * configured) are not delivered; the writer logs a warning with the positions.
 *
 * <p>Methods are called on one thread, the follower's; {@link #close} is called once, by {@link
 * LakeWriter#close()} after the last batch.
 */
public interface LogFollower extends AutoCloseable {
  /**
   * The position up to which this follower has durably delivered the rows of a writer: the {@code
   * to} of its last successful {@link #deliver}, or 0 when it never delivered one.
   *
   * @param writerId the writer's id ({@link LakeWriter#writerId()}), stable across restarts
   * @throws Exception when the position cannot be read now; the writer retries with back-off
   */
  long deliveredPosition(String writerId) throws Exception;

  /**
   * Delivers a batch, all or nothing: the rows of the log records that start in {@code [from, to)},
   * in log order. When it returns, the batch counts as delivered and {@code to} is the follower's
   * position. When it throws, no row of the batch may count as delivered: the writer waits
   * (back-off), asks {@link #deliveredPosition} again and goes on from there.
   *
   * @param from the position the batch starts at (the follower's position)
   * @param to the position after the batch's last record
   * @param rows the rows, never empty unless the records were unreadable; not to be kept after the
   *     call
   */
  void deliver(long from, long to, List<LakeRow> rows) throws Exception;

  /** Releases the follower's resources; no call follows. */
  @Override
  void close();
}
