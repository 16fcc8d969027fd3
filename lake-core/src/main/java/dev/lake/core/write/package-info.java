/**
 * Writing rows into the tables, without loss, through the write-ahead log. <b>API</b>: {@link
 * dev.lake.core.write.LakeWriter} (built with its builder or from {@link
 * dev.lake.core.write.WriterOptions}; append, flush, close), {@link
 * dev.lake.core.write.WriterStats}, {@link dev.lake.core.write.WalFullPolicy}, {@link
 * dev.lake.core.write.FatalWriteError} (why a writer stopped committing), {@link
 * dev.lake.core.write.WalLockedException} (another writer holds the log folder), and {@link
 * dev.lake.core.write.BookKey}, with which a writer gives back the last persisted update id of each
 * book after a restart.
 *
 * <p>Public for lake's own packages, not for embedders: {@link dev.lake.core.write.DataFileWriter}
 * (compaction writes its files as the writer does). Everything else here is package-private.
 */
package dev.lake.core.write;
