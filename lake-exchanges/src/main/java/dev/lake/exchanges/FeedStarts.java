package dev.lake.exchanges;

import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The symbols each feed of a market collects already, so that a connector starts a feed once per
 * symbol whether its symbols come from a list at start or from {@code symbols: all} on every
 * instruments poll (new listings are picked up). Logs what starts. Not thread-safe: a connector
 * calls it under its own lock.
 */
public final class FeedStarts {
  private static final Logger LOG = LoggerFactory.getLogger(FeedStarts.class);

  private final String name;
  private final Map<DataType, Set<String>> started = new EnumMap<>(DataType.class);

  /**
   * @param name the market's name for logs, e.g. {@code okx future}
   */
  public FeedStarts(String name) {
    this.name = name;
  }

  /** The symbols of a feed not started yet, in the given order, now counted as started. */
  public Set<String> fresh(DataType type, Collection<String> symbols) {
    Set<String> running = started.computeIfAbsent(type, t -> new HashSet<>());
    Set<String> fresh = new LinkedHashSet<>(symbols);
    fresh.removeAll(running);
    running.addAll(fresh);
    if (fresh.isEmpty()) {
      return fresh;
    }
    if (fresh.size() < 10) {
      LOG.info("{}: {} for {}", name, type.configKey(), fresh);
    } else {
      LOG.info("{}: {} for {} symbols", name, type.configKey(), fresh.size());
    }
    return fresh;
  }
}
