/**
 * Keeping tables fast to read: compaction and the rest of table maintenance. <b>API</b>: {@link
 * dev.lake.core.maintenance.Compaction} (with its builder, {@link
 * dev.lake.core.maintenance.CompactionResult}, {@link dev.lake.core.maintenance.CompactionListener}
 * and {@link dev.lake.core.maintenance.ReplacedFiles}) and {@link
 * dev.lake.core.maintenance.Maintenance} (with its builder and step results). Internal: {@code
 * RowChecksum} and {@code FooterCheck}.
 */
package dev.lake.core.maintenance;
