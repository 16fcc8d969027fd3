package dev.lake.core.maintenance;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Data files of one table that compactions replaced, counted from the compaction commits' snapshot
 * summaries.
 *
 * @param table the table name
 * @param files how many data files
 * @param bytes their size in bytes
 * @param compactions the compaction commits that replaced them
 * @param removableAt when the grace of the newest of those commits ends (or ended): from then on
 *     {@link Compaction#removeReplacedFiles()} deletes them
 */
public record ReplacedFiles(
    String table, long files, long bytes, int compactions, Instant removableAt) {
  public ReplacedFiles {
    requireNonNull(table, "table is null");
    requireNonNull(removableAt, "removableAt is null");
  }
}
