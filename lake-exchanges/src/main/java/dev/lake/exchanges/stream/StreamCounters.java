package dev.lake.exchanges.stream;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The counters a connector reports, shared by its feeds: frames received, in all and per feed, and
 * frames rejected.
 *
 * @param messages incremented for every frame received
 * @param rejected incremented for every frame rejected
 * @param feedMessages the counter of one feed's frames, by the feed's table; asked once per feed
 *     when the feed is made (never per frame), and incremented with {@code messages}
 */
public record StreamCounters(
    AtomicLong messages, AtomicLong rejected, Function<String, AtomicLong> feedMessages) {
  public StreamCounters {
    requireNonNull(messages, "messages is null");
    requireNonNull(rejected, "rejected is null");
    requireNonNull(feedMessages, "feedMessages is null");
  }

  /** Counters that keep no count per feed. */
  public StreamCounters(AtomicLong messages, AtomicLong rejected) {
    this(messages, rejected, feed -> new AtomicLong());
  }

  /** Fresh counters. */
  public static StreamCounters create() {
    return new StreamCounters(new AtomicLong(), new AtomicLong());
  }
}
