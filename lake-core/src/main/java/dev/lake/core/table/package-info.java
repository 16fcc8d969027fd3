/**
 * lake's tables: what they hold and how they are made in a catalog.
 *
 * <p><b>API</b> for embedders setting up tables: {@link dev.lake.core.table.TableManager} (create,
 * upgrade and load the tables; {@link dev.lake.core.table.TableChange} says what it did), {@link
 * dev.lake.core.table.TableOptions} with {@link dev.lake.core.table.FileLayout} and {@link
 * dev.lake.core.table.PartitionGranularity}, and {@link dev.lake.core.table.LakeTables}, which
 * names the tables and gives each one's {@link dev.lake.core.table.TableDefinition} (schema,
 * partition spec, sort order).
 *
 * <p>{@link dev.lake.core.table.LakeTables} is the one declaration of every table: each {@link
 * dev.lake.core.table.ColumnDefinition} gives a column's Iceberg field, what it holds ({@link
 * dev.lake.core.table.ValueKind}) and the record component it stores, and from these alone come the
 * Iceberg schema, the Parquet writer's columns, the write-ahead log's encoding and the read-back
 * into rows. The column-level types ({@link dev.lake.core.table.ColumnDefinition} and its
 * accessors, {@link dev.lake.core.table.ValueKind}, {@link dev.lake.core.table.ColumnEncoding}) are
 * public for lake's own packages (write, wal, read), not for embedders. Internal: {@code
 * PriceLevelStruct}.
 */
package dev.lake.core.table;
