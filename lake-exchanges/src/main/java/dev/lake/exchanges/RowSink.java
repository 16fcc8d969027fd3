package dev.lake.exchanges;

import dev.lake.core.model.LakeRow;
import java.util.List;

/**
 * Where connectors hand their rows: a bounded queue in front of the writer. Offering never blocks,
 * so that event loops never wait; a full sink refuses, and the connector stops reading from its
 * sockets until {@link #whenRoom} calls back. Implementations are thread-safe.
 */
public interface RowSink {
  /**
   * Offers rows, all or none.
   *
   * @return false when the sink is full; the rows are then not taken
   */
  boolean offer(List<LakeRow> rows);

  /** Runs a callback once, as soon as the sink has room again (at once when it has room now). */
  void whenRoom(Runnable callback);
}
