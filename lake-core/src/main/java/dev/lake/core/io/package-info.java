/**
 * Storage for a warehouse. <b>API</b>: {@link dev.lake.core.io.LocalFileIO}, the Iceberg {@code
 * FileIO} for a warehouse on the local disk (set as a catalog's {@code io-impl}); S3 and the others
 * use Iceberg's own.
 */
package dev.lake.core.io;
