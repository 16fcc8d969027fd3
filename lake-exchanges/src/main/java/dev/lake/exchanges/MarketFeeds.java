package dev.lake.exchanges;

import static java.util.Objects.requireNonNull;

import dev.lake.exchanges.poll.Instruments;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enabled feeds of one venue market and the symbols each collects, the same way for every
 * venue: a feed with a list of symbols starts at once; a feed with {@code symbols: all} starts when
 * the venue's instruments come in, and picks up symbols listed later on each instruments poll. A
 * venue's connector says only how to start a feed for symbols it does not collect yet ({@link
 * Starter}). Thread-safe.
 */
public final class MarketFeeds {
  private static final Logger LOG = LoggerFactory.getLogger(MarketFeeds.class);
  private static final int SYMBOLS_LOGGED = 10;

  /** How a venue starts one of its feeds. */
  @FunctionalInterface
  public interface Starter {
    /**
     * Starts collecting a feed for symbols it does not collect yet.
     *
     * @param symbols the new symbols, in the venue's order, never empty
     * @param first true the first time this feed starts, false for symbols listed later
     */
    void start(DataType type, FeedSettings feed, List<String> symbols, boolean first);
  }

  private final String name;
  private final Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
  private final Map<DataType, Set<String>> started = new EnumMap<>(DataType.class);
  private final Starter starter;

  /**
   * @param name the market's name for logs, e.g. {@code bybit future}
   */
  public MarketFeeds(String name, MarketSettings settings, Starter starter) {
    this.name = requireNonNull(name, "name is null");
    this.starter = requireNonNull(starter, "starter is null");
    for (DataType type : DataType.values()) {
      FeedSettings feed = settings.enabled(type);
      if (feed != null) {
        feeds.put(type, feed);
        started.put(type, new HashSet<>());
      }
    }
  }

  /** The settings of an enabled feed, or null when the feed is off. */
  public FeedSettings get(DataType type) {
    return feeds.get(type);
  }

  /** The enabled feeds' settings. */
  public List<FeedSettings> all() {
    return List.copyOf(feeds.values());
  }

  /** The enabled feeds. */
  public Set<DataType> types() {
    return Set.copyOf(feeds.keySet());
  }

  /**
   * Starts every feed that has a list of symbols.
   *
   * @return true when the market needs its instruments polled: a {@code contracts} feed, or a feed
   *     with {@code symbols: all}
   */
  public synchronized boolean startListed() {
    boolean needsInstruments = feeds.containsKey(DataType.CONTRACTS);
    for (Map.Entry<DataType, FeedSettings> entry : feeds.entrySet()) {
      if (entry.getKey() == DataType.CONTRACTS) {
        continue;
      }
      if (entry.getValue().symbols().all()) {
        needsInstruments = true;
      } else {
        start(entry.getKey(), entry.getValue().symbols().symbols());
      }
    }
    return needsInstruments;
  }

  /** Starts the {@code symbols: all} feeds for the instruments listed that they lack. */
  public synchronized void onInstruments(Instruments instruments) {
    for (Map.Entry<DataType, FeedSettings> entry : feeds.entrySet()) {
      FeedSettings feed = entry.getValue();
      if (entry.getKey() != DataType.CONTRACTS && feed.symbols().all()) {
        start(entry.getKey(), feed.symbols().resolve(instruments.instruments()));
      }
    }
  }

  private void start(DataType type, List<String> symbols) {
    Set<String> running = started.get(type);
    Set<String> fresh = new LinkedHashSet<>(symbols);
    fresh.removeAll(running);
    if (fresh.isEmpty()) {
      return;
    }
    boolean first = running.isEmpty();
    running.addAll(fresh);
    starter.start(type, feeds.get(type), List.copyOf(fresh), first);
    if (fresh.size() < SYMBOLS_LOGGED) {
      LOG.info("{}: {} for {}", name, type.configKey(), fresh);
    } else {
      LOG.info("{}: {} for {} symbols", name, type.configKey(), fresh.size());
    }
  }
}
