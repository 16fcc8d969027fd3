/**
 * The rows lake stores, one record per table, and the enums they hold. <b>API</b>: embedders build
 * these rows and hand them to a {@link dev.lake.core.write.LakeWriter}, and get them back from
 * {@link dev.lake.core.read.TableRows}.
 *
 * <ul>
 *   <li>{@link dev.lake.core.model.LakeRow}, the sealed type of every row, and its records: {@link
 *       dev.lake.core.model.OrderBookDelta}, {@link dev.lake.core.model.OrderBookSnapshot} (with
 *       {@link dev.lake.core.model.PriceLevel}), {@link dev.lake.core.model.Trade}, {@link
 *       dev.lake.core.model.Contract}, {@link dev.lake.core.model.Liquidation}, {@link
 *       dev.lake.core.model.OpenInterest}, {@link dev.lake.core.model.FundingRate} and {@link
 *       dev.lake.core.model.StreamEvent}. Their constructors reject invalid values, naming the
 *       table and the field.
 *   <li>The enums {@link dev.lake.core.model.MarketType}, {@link dev.lake.core.model.BookSide},
 *       {@link dev.lake.core.model.TradeSide}, {@link dev.lake.core.model.SnapshotSource} and
 *       {@link dev.lake.core.model.StreamEventType}, each a {@link dev.lake.core.model.StoredEnum}:
 *       a text for the tables and a code for the write-ahead log, both fixed for good.
 * </ul>
 *
 * <p>A row's columns are declared once, in {@link dev.lake.core.table.LakeTables}; a new field is a
 * record component there plus one column declaration. Internal: {@code RowChecks}.
 */
package dev.lake.core.model;
