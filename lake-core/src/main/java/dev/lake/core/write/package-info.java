/**
 * Writing rows into the tables, without loss, through the write-ahead log. <b>API</b>: {@link
 * dev.lake.core.write.LakeWriter} (built with its builder; append, flush, close), {@link
 * dev.lake.core.write.WriterStats}, {@link dev.lake.core.write.WalFullPolicy}, and {@link
 * dev.lake.core.write.BookKey}, with which a writer gives back the last persisted update id of each
 * book after a restart.
 *
 * <p>Public for lake's own packages, not for embedders: {@link dev.lake.core.write.DataFileWriter}
 * (compaction writes its files as the writer does) and {@link dev.lake.core.write.CommitPositions}
 * (the CLI reads the writer id it leaves in snapshot summaries). Everything else here is internal.
 */
package dev.lake.core.write;
