package dev.lake.exchanges.stream;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The counters a connector reports, shared by its feeds: frames received and frames rejected.
 *
 * @param messages incremented for every frame received
 * @param rejected incremented for every frame rejected
 */
public record StreamCounters(AtomicLong messages, AtomicLong rejected) {
  public StreamCounters {
    requireNonNull(messages, "messages is null");
    requireNonNull(rejected, "rejected is null");
  }

  /** Fresh counters. */
  public static StreamCounters create() {
    return new StreamCounters(new AtomicLong(), new AtomicLong());
  }
}
