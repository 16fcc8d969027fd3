package dev.lake.exchanges.book;

import dev.lake.core.model.MarketType;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import java.net.URI;

/** Makes {@code stream_events} rows for one venue market and table. Immutable. */
public record StreamEvents(String exchange, MarketType market, String dataType) {
  /** An event; {@code symbol}, {@code detail} and the id range may be null. */
  public StreamEvent event(
      StreamEventType type,
      String symbol,
      String detail,
      Long fromUpdateId,
      Long toUpdateId,
      long timestampMicros,
      long localMicros) {
    return new StreamEvent(
        exchange,
        market.text(),
        dataType,
        symbol,
        type,
        detail,
        fromUpdateId,
        toUpdateId,
        timestampMicros,
        localMicros);
  }

  /** An event without an id range, timed by lake's clock. */
  public StreamEvent event(StreamEventType type, String symbol, String detail, long nowMicros) {
    return event(type, symbol, detail, null, null, nowMicros, nowMicros);
  }

  /** A WebSocket connection opened, with the number of streams it carries. */
  public StreamEvent connected(URI url, String connectionId, int streams, long nowMicros) {
    return event(
        StreamEventType.CONNECT,
        null,
        url + " (" + connectionId + ", " + streams + " streams)",
        nowMicros);
  }

  /**
   * A WebSocket connection that had opened closed: why, and whether it is being opened again. An
   * attempt that never opened is no such event (no connection existed); it is logged and counted.
   */
  public StreamEvent disconnected(
      URI url, String connectionId, String reason, boolean reconnecting, long nowMicros) {
    return event(
        StreamEventType.DISCONNECT,
        null,
        url + " (" + connectionId + "): " + reason + (reconnecting ? "; reconnecting" : ""),
        nowMicros);
  }

  /** A rejected message: why (cut to 300 characters), and a copy of its text cut to fit. */
  public StreamEvent rejected(String symbol, String reason, String text, long receivedMicros) {
    String why = StreamEvent.truncate(reason, 300);
    String detail =
        text == null
            ? why
            : why
                + ": "
                + StreamEvent.truncate(text, StreamEvent.MAX_DETAIL_LENGTH - why.length() - 2);
    return event(StreamEventType.REJECTED_MESSAGE, symbol, detail, receivedMicros);
  }
}
