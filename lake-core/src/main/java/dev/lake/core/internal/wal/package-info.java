/**
 * The local write-ahead log that keeps every appended row until its table commits it.
 * <b>Internal</b> to lake (hence the {@code internal} package: no compatibility is promised for
 * anything in it): embedders reach it through {@link dev.lake.core.write.LakeWriter} (its log
 * folder and budget), and see only {@link dev.lake.core.write.WalLockedException} (in the write
 * package), thrown when a second writer opens the same folder.
 *
 * <p>{@link dev.lake.core.internal.wal.WriteAheadLog} frames records (magic, length, CRC-32C) in
 * segment files; {@code RowCodec} encodes rows in format 2, derived from the table definitions, and
 * reads format 1 (the releases before the format version) with the frozen {@code RowCodecV1}. A
 * record of a format, row type or enum code this release does not know stops the replay with a
 * message naming the file and the offset; it is never read as something else. {@link
 * dev.lake.core.internal.wal.WalRecovery} and {@link dev.lake.core.internal.wal.WalRecordVisitor}
 * are public for the writer, and so is {@link dev.lake.core.internal.wal.RowBuffer}, which holds a
 * streaming partition's rows in the same encoding until they are written.
 */
package dev.lake.core.internal.wal;
