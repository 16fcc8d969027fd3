package dev.lake.core.model;

/**
 * A row of {@code stream_events}, the data-quality ledger: one event that bears on completeness.
 *
 * @param exchange venue name in lower case, or {@code lake} for events of the writer itself
 * @param marketType {@code spot}, {@code future}, or {@code all} for events that concern no single
 *     market
 * @param dataType the feed the event concerns, named by its table, e.g. {@code orderbook_delta}, or
 *     {@code all}; stored in the column {@code feed} (called {@code data_type} before, which is
 *     also the name of a path segment of the file layout)
 * @param symbol the symbol concerned, or null
 * @param event what happened
 * @param detail free text (for rejected messages, a truncated copy of the message), or null
 * @param fromUpdateId first update id of the range known missing or unverified, or null
 * @param toUpdateId last update id of that range (inclusive), or null
 * @param timestampMicros when it happened (exchange time where known), epoch microseconds
 * @param localTimestampMicros when lake saw it, epoch microseconds
 */
public record StreamEvent(
    String exchange,
    String marketType,
    String dataType,
    String symbol,
    StreamEventType event,
    String detail,
    Long fromUpdateId,
    Long toUpdateId,
    long timestampMicros,
    long localTimestampMicros)
    implements LakeRow {

  public static final String TABLE = "stream_events";

  /** The {@code exchange} of events raised by lake itself. */
  public static final String LAKE = "lake";

  /** The {@code market_type} or {@code feed} of events that concern no single one. */
  public static final String ALL = "all";

  /** Longest {@code detail} kept; longer texts are cut and marked. */
  public static final int MAX_DETAIL_LENGTH = 2048;

  public StreamEvent {
    RowChecks.text(TABLE, "exchange", exchange);
    RowChecks.text(TABLE, "market_type", marketType);
    RowChecks.text(TABLE, "feed", dataType);
    RowChecks.present(TABLE, "event", event);
    detail = truncate(detail);
    RowChecks.positive(TABLE, "timestamp", timestampMicros);
    RowChecks.positive(TABLE, "local_timestamp", localTimestampMicros);
  }

  /** Cuts a text to {@link #MAX_DETAIL_LENGTH} characters, marking the cut. */
  public static String truncate(String text) {
    return truncate(text, MAX_DETAIL_LENGTH);
  }

  /** Cuts a text to at most {@code max} characters, ending the cut with its original length. */
  public static String truncate(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    String marker = "... [" + text.length() + " chars]";
    return text.substring(0, Math.max(0, max - marker.length())) + marker;
  }

  @Override
  public String tableName() {
    return TABLE;
  }
}
