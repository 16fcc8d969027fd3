package dev.lake.cli.config;

import dev.lake.core.model.MarketType;
import dev.lake.core.model.SnapshotSource;
import dev.lake.exchanges.Credentials;
import dev.lake.exchanges.DataType;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.MarketSettings;
import dev.lake.exchanges.Shard;
import dev.lake.exchanges.SymbolSelection;
import dev.lake.exchanges.Venue;
import dev.lake.exchanges.Venues;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code source} block, in the seed's shape: {@code source.<exchange>.<market>.<feed>}, each
 * feed overriding the venue's defaults key by key.
 *
 * @param markets the configured venue markets
 */
public record SourceConfig(List<MarketSettings> markets) {
  private static final List<String> SELECTION_KEYS =
      List.of("symbols", "quote_assets", "max_symbols");

  public SourceConfig {
    markets = List.copyOf(markets);
  }

  /** The number of enabled feeds over all markets. */
  public int enabledFeeds() {
    int count = 0;
    for (MarketSettings market : markets) {
      for (DataType type : DataType.values()) {
        if (market.enabled(type) != null) {
          count++;
        }
      }
    }
    return count;
  }

  static SourceConfig parse(ConfigNode source) {
    return parse(source, Venues.all());
  }

  /**
   * Parses, then keeps this process's share when a shard is given: the books and trades of the
   * symbols it keeps (a list is split here, {@code all} where it is resolved), and the market-wide
   * feeds (contracts, liquidation, open interest, funding) on shard 0 only. A feed left with no
   * symbol is dropped.
   */
  static SourceConfig parse(ConfigNode source, Shard shard) {
    SourceConfig parsed = parse(source, Venues.all());
    return shard == null ? parsed : parsed.sharded(shard);
  }

  private static final java.util.Set<DataType> MARKET_WIDE =
      java.util.EnumSet.of(
          DataType.CONTRACTS, DataType.LIQUIDATION, DataType.OPEN_INTEREST, DataType.FUNDING_RATE);

  /** This source narrowed to a shard's share. */
  SourceConfig sharded(Shard shard) {
    List<MarketSettings> kept = new ArrayList<>();
    for (MarketSettings market : markets) {
      SymbolSelection.ShardFilter filter =
          new SymbolSelection.ShardFilter(shard, market.exchange(), market.market());
      Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
      for (Map.Entry<DataType, FeedSettings> entry : market.feeds().entrySet()) {
        FeedSettings feed = entry.getValue();
        if (MARKET_WIDE.contains(entry.getKey())) {
          if (shard.keepsMarketWideFeeds()) {
            feeds.put(entry.getKey(), feed);
          }
          continue;
        }
        SymbolSelection symbols = feed.symbols();
        if (symbols.all()) {
          feeds.put(entry.getKey(), feed.withSymbols(symbols.withShard(filter)));
          continue;
        }
        List<String> mine = symbols.symbols().stream().filter(filter::keeps).toList();
        if (!mine.isEmpty()) {
          feeds.put(entry.getKey(), feed.withSymbols(SymbolSelection.of(mine)));
        }
      }
      kept.add(new MarketSettings(market.exchange(), market.market(), feeds, market.credentials()));
    }
    return new SourceConfig(kept);
  }

  /** Parses with the given venues (tests add venues of their own). */
  static SourceConfig parse(ConfigNode source, List<Venue> venues) {
    List<String> names = venues.stream().map(Venue::name).toList();
    source.allowOnly(names);
    List<MarketSettings> markets = new ArrayList<>();
    for (String exchange : source.keys()) {
      Venue venue = venues.get(names.indexOf(exchange));
      ConfigNode venueNode = source.child(exchange);
      List<String> marketNames = venue.markets().stream().map(MarketType::text).toList();
      venueNode.allowOnly(marketNames);
      for (String marketName : venueNode.keys()) {
        MarketType market = MarketType.fromText(marketName);
        markets.add(parseMarket(venue, market, venueNode.child(marketName)));
      }
    }
    return new SourceConfig(markets);
  }

  private static MarketSettings parseMarket(Venue venue, MarketType market, ConfigNode node) {
    List<String> keys = new ArrayList<>(SELECTION_KEYS);
    for (DataType type : DataType.values()) {
      String key = type.configKey();
      keys.add(key.contains(".") ? key.substring(0, key.indexOf('.')) : key);
    }
    if (venue.acceptsCredentials(market)) {
      keys.add("credentials");
    } else if (node.has("credentials")) {
      throw refusedCredentials(venue, market, node);
    }
    node.allowOnly(keys.stream().distinct().toList());
    Credentials credentials =
        venue.needsCredentials(market) || node.has("credentials")
            ? credentials(venue, node.child("credentials"))
            : null;
    SymbolSelection marketSymbols = selection(venue, market, node, SymbolSelection.none());
    Map<DataType, FeedSettings> feeds = new EnumMap<>(DataType.class);
    ConfigNode orderbook = node.child("orderbook");
    orderbook.allowOnly("snapshots", "delta");
    Map<DataType, ConfigNode> feedNodes = feedNodes(node, orderbook);
    List<URI> configured = configuredUrls(feedNodes.values());
    for (Map.Entry<DataType, ConfigNode> entry : feedNodes.entrySet()) {
      DataType type = entry.getKey();
      ConfigNode feedNode = entry.getValue();
      if (!venue.dataTypes(market).contains(type)) {
        throw node.context()
            .error(
                "Invalid config at "
                    + feedNode.path()
                    + ": "
                    + venue.unsupportedReason(market, type)
                    + " (expected one of "
                    + String.join(
                        ", ", venue.dataTypes(market).stream().map(DataType::configKey).toList())
                    + ")");
      }
      FeedSettings feed = parseFeed(venue, market, type, feedNode, marketSymbols, configured);
      String problem = venue.check(market, feed);
      if (problem != null) {
        throw node.context().error("Invalid config at " + feedNode.path() + ": " + problem);
      }
      feeds.put(type, feed);
    }
    checkBookSnapshots(feeds, orderbook);
    return new MarketSettings(venue.name(), market, feeds, credentials);
  }

  /**
   * The URLs the user wrote for a market's feeds: the endpoints other feeds derive follow them (see
   * {@link Venue#defaults(MarketType, DataType, java.util.Collection)}).
   */
  private static List<URI> configuredUrls(Collection<ConfigNode> feeds) {
    List<URI> urls = new ArrayList<>();
    for (ConfigNode feed : feeds) {
      for (String urlKey : List.of("url", "snapshot_url")) {
        URI uri = uri(feed, urlKey, null);
        if (uri != null) {
          urls.add(uri);
        }
      }
    }
    return urls;
  }

  /** The feed blocks present under a market, by type, in {@link DataType} order. */
  private static Map<DataType, ConfigNode> feedNodes(ConfigNode market, ConfigNode orderbook) {
    Map<DataType, ConfigNode> nodes = new EnumMap<>(DataType.class);
    for (DataType type : DataType.values()) {
      String key = type.configKey();
      ConfigNode parent = key.startsWith("orderbook.") ? orderbook : market;
      String name = key.substring(key.indexOf('.') + 1);
      if (parent.has(name)) {
        nodes.put(type, parent.child(name));
      }
    }
    return nodes;
  }

  /**
   * {@code credentials: {key, secret, passphrase}}: required where the venue signs requests,
   * optional where they unlock more (see {@link Venue#acceptsCredentials}).
   */
  private static Credentials credentials(Venue venue, ConfigNode node) {
    node.allowOnly("key", "secret", "passphrase");
    String variable = "${" + venue.name().toUpperCase(java.util.Locale.ROOT) + "_API_";
    return new Credentials(
        node.requiredString("key", "the API key, e.g. " + variable + "KEY}"),
        node.requiredString("secret", "the API secret, e.g. " + variable + "SECRET}"),
        node.string("passphrase", null));
  }

  /** Credentials under a market that reads only public data: refused, naming where they go. */
  private static ConfigException refusedCredentials(
      Venue venue, MarketType market, ConfigNode node) {
    List<String> takers =
        venue.markets().stream()
            .filter(venue::acceptsCredentials)
            .map(m -> "source." + venue.name() + "." + m.text())
            .toList();
    return node.context()
        .error(
            "Invalid config at "
                + node.pathOf("credentials")
                + ": "
                + venue.name()
                + " "
                + market.text()
                + " reads only public data and signs nothing (expected "
                + (takers.isEmpty()
                    ? "no credentials for " + venue.name()
                    : "credentials only under " + String.join(", ", takers))
                + ")");
  }

  /** Snapshots from the local book need the delta feed to keep those books. */
  private static void checkBookSnapshots(Map<DataType, FeedSettings> feeds, ConfigNode orderbook) {
    FeedSettings snapshots = feeds.get(DataType.ORDERBOOK_SNAPSHOT);
    if (snapshots == null
        || !snapshots.enabled()
        || snapshots.snapshotSource() != SnapshotSource.BOOK) {
      return;
    }
    FeedSettings delta = feeds.get(DataType.ORDERBOOK_DELTA);
    String where = "Invalid config at " + orderbook.pathOf("snapshots") + ": source: book ";
    if (delta == null || !delta.enabled()) {
      throw orderbook
          .context()
          .error(
              where
                  + "takes snapshots from the local book, which needs orderbook.delta (expected orderbook.delta enabled for the same symbols, or source: rest)");
    }
    if (delta.symbols().all()) {
      return;
    }
    List<String> missing =
        snapshots.symbols().all()
            ? List.of("all")
            : snapshots.symbols().symbols().stream()
                .filter(s -> !delta.symbols().symbols().contains(s))
                .toList();
    if (!missing.isEmpty()) {
      throw orderbook
          .context()
          .error(
              where
                  + "needs orderbook.delta for "
                  + String.join(", ", missing)
                  + " (expected them in orderbook.delta.symbols)");
    }
  }

  private static FeedSettings parseFeed(
      Venue venue,
      MarketType market,
      DataType type,
      ConfigNode node,
      SymbolSelection fallback,
      List<URI> configured) {
    FeedSettings defaults = venue.defaults(market, type, configured);
    List<String> keys = new ArrayList<>(List.of("enabled", "url"));
    if (type != DataType.CONTRACTS) {
      keys.addAll(SELECTION_KEYS);
    }
    switch (type) {
      case ORDERBOOK_SNAPSHOT -> keys.addAll(List.of("interval_ms", "limit", "source"));
      case ORDERBOOK_DELTA -> {
        keys.add("interval_ms");
        if (venue.seedsBooksFromRest(market)) {
          keys.addAll(List.of("snapshot_limit", "snapshot_url"));
        }
      }
      case CONTRACTS, OPEN_INTEREST, FUNDING_RATE -> keys.add("interval_ms");
      default -> {}
    }
    List<String> extra = venue.extraFeedKeys(market, type);
    keys.addAll(extra);
    node.allowOnly(keys);
    Map<String, String> options = new java.util.LinkedHashMap<>();
    for (String key : extra) {
      String value = node.string(key, null);
      if (value != null) {
        options.put(key, value.trim());
      }
    }
    boolean enabled = node.bool("enabled", true);
    URI url = uri(node, "url", defaults.url());
    SymbolSelection symbols =
        type == DataType.CONTRACTS
            ? SymbolSelection.none()
            : selection(venue, market, node, fallback);
    if (enabled && type != DataType.CONTRACTS && symbols.isEmpty()) {
      throw node.context()
          .error(
              "Missing config value at "
                  + node.pathOf("symbols")
                  + " (expected a list of symbols, e.g. [BTCUSDT, ETHUSDT], or all)");
    }
    SnapshotSource source =
        node.choice(
            "source",
            defaults.snapshotSource(),
            text ->
                switch (text) {
                  case "rest" -> SnapshotSource.REST;
                  case "book" -> SnapshotSource.BOOK;
                  default -> throw new IllegalArgumentException(text);
                },
            "rest or book");
    return new FeedSettings(
        type,
        enabled,
        url,
        node.longValue("interval_ms", defaults.intervalMs(), 1, 86_400_000, "milliseconds"),
        node.intValue("limit", defaults.limit(), 1, 5000, "a number of levels"),
        source,
        node.intValue("snapshot_limit", defaults.snapshotLimit(), 1, 5000, "a number of levels"),
        uri(node, "snapshot_url", defaults.snapshotUrl()),
        symbols,
        options);
  }

  private static SymbolSelection selection(
      Venue venue, MarketType market, ConfigNode node, SymbolSelection fallback) {
    if (!node.has("symbols")) {
      if (node.has("quote_assets") || node.has("max_symbols")) {
        throw node.context()
            .error(
                "Invalid config at "
                    + node.path()
                    + ": quote_assets and max_symbols narrow symbols: all (expected symbols: all beside them)");
      }
      return fallback;
    }
    List<String> symbols = node.stringList("symbols");
    if (symbols.size() == 1 && symbols.get(0).equalsIgnoreCase("all")) {
      return new SymbolSelection(
          List.of(),
          true,
          node.stringList("quote_assets"),
          node.intValue("max_symbols", 0, 0, 100_000, "a number of symbols (0: no limit)"));
    }
    if (node.has("quote_assets") || node.has("max_symbols")) {
      throw node.context()
          .error(
              "Invalid config at "
                  + node.path()
                  + ": quote_assets and max_symbols only narrow symbols: all (expected them with"
                  + " symbols: all, or a list of symbols alone)");
    }
    for (int i = 0; i < symbols.size(); i++) {
      String expected = venue.checkSymbol(market, symbols.get(i));
      if (expected != null) {
        throw node.invalid("symbols[" + i + "]", symbols.get(i), expected);
      }
    }
    return SymbolSelection.of(symbols);
  }

  private static URI uri(ConfigNode node, String key, URI defaultValue) {
    String text = node.string(key, null);
    if (text == null) {
      return defaultValue;
    }
    try {
      URI uri = new URI(text.trim());
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw node.invalid(
            key, text, "an absolute URL such as https://api.binance.com/api/v3/depth");
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      throw node.invalid(key, text, "an absolute URL such as https://api.binance.com/api/v3/depth");
    }
  }
}
