package dev.lake.core.write;

import dev.lake.core.model.LakeRow;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a generation's rows go: the data files of each table (named after the writer) and the
 * memory budget the open files share. Called under the writer's append lock or, for a generation no
 * longer current, by the one thread that owns it.
 */
final class DataFiles {
  private static final Logger LOG = LoggerFactory.getLogger(LakeWriter.class);

  private final Map<TableDefinition<?>, TableContext<?>> contexts = new LinkedHashMap<>();
  private final Function<TableDefinition<?>, TableFiles<?>> open = this::newTableFiles;
  private final long bufferMaxBytes;
  private final WriterCounters counters;

  DataFiles(
      Map<TableDefinition<?>, Table> tables,
      String writerId,
      long bufferMaxBytes,
      WriterCounters counters) {
    this.bufferMaxBytes = bufferMaxBytes;
    this.counters = counters;
    AtomicLong fileCounter = new AtomicLong();
    // A writer opened again on its log (a restart) counts its files from 1 again, maybe within the
    // same second as its last opening: without a part of its own, this opening's first file would
    // take the name of a committed file of the last and overwrite its rows.
    String writerTag =
        writerId.replace("-", "").substring(0, 8)
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    tables.forEach(
        (definition, table) ->
            contexts.put(definition, newContext(definition, table, writerTag, fileCounter)));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static TableContext<?> newContext(
      TableDefinition<?> definition, Table table, String writerTag, AtomicLong fileCounter) {
    return new TableContext(definition, table, writerTag, fileCounter);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private TableFiles<?> newTableFiles(TableDefinition<?> definition) {
    return new TableFiles(contexts.get(definition));
  }

  <R extends LakeRow> void write(Generation generation, R row) {
    TableDefinition<R> definition = LakeTables.of(row);
    generation.write(row, definition, open);
  }

  /**
   * Keeps the open files' memory within the buffer budget, which they share with the files of
   * generations sealed but not yet closed by the commit thread: when over it, the largest files
   * write their row groups out, and parked files are finished if that is not enough, until this
   * generation holds half of what the sealed ones leave of the budget. True when that was not
   * enough, and the generation should be committed early instead.
   */
  boolean overBudget(Generation generation) {
    long estimate = generation.estimatedBytes();
    long sealed = counters.sealedBytes();
    counters.bufferedBytes(estimate + sealed);
    if (estimate + sealed < bufferMaxBytes) {
      return false;
    }
    long room = Math.max(0, bufferMaxBytes - sealed);
    long freed = generation.relieve(estimate - room / 2);
    LOG.debug(
        "Open data files held about {} bytes and sealed ones {}, over the budget of {}: wrote {}"
            + " bytes of row groups out",
        estimate,
        sealed,
        bufferMaxBytes,
        freed);
    long left = generation.estimatedBytes();
    counters.bufferedBytes(left + sealed);
    // committing early helps only when this generation alone is over: it does not make the sealed
    // ones close sooner
    return left >= bufferMaxBytes;
  }
}
