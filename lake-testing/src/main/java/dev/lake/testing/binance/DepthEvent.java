package dev.lake.testing.binance;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One diff-depth event ({@code depthUpdate}) as the fake server built it. Immutable apart from the
 * level arrays, which callers must not change.
 *
 * @param symbol the symbol, upper case, e.g. {@code BTCUSDT}
 * @param firstUpdateId {@code U}, the first update id the event covers
 * @param lastUpdateId {@code u}, the last update id the event covers
 * @param prevUpdateId {@code pu}, the previous event's {@code u} (futures), or null (spot)
 * @param eventTimeMs {@code E}, the event time in epoch milliseconds
 * @param bids changed bid levels, {@code [price, quantity]} as sent, best first; quantity zero
 *     removes the level
 * @param asks changed ask levels, {@code [price, quantity]} as sent, best first
 * @param json the raw payload as sent on a {@code /ws} connection (not wrapped in a combined-stream
 *     envelope)
 */
public record DepthEvent(
    String symbol,
    long firstUpdateId,
    long lastUpdateId,
    Long prevUpdateId,
    long eventTimeMs,
    List<String[]> bids,
    List<String[]> asks,
    String json) {

  /** Checks the fields and copies the level lists. */
  public DepthEvent {
    requireNonNull(symbol, "symbol is null");
    bids = List.copyOf(requireNonNull(bids, "bids is null"));
    asks = List.copyOf(requireNonNull(asks, "asks is null"));
    requireNonNull(json, "json is null");
  }
}
