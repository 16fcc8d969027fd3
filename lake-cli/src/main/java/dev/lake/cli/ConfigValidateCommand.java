package dev.lake.cli;

import dev.lake.cli.config.LakeConfig;
import dev.lake.exchanges.DataType;
import dev.lake.exchanges.FeedSettings;
import dev.lake.exchanges.MarketSettings;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code lake config validate}: checks a file without connecting anywhere. */
@Command(
    name = "validate",
    description =
        "Check a configuration file without connecting anywhere: keys, types, ranges, URLs,"
            + " environment variables. Prints what would be collected and where it would go.")
public final class ConfigValidateCommand extends LakeSubcommand {
  public ConfigValidateCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(Setup setup) {
    LakeConfig config = setup.config();
    config.requireFeeds();
    PrintWriter out = setup.out();
    out.println(
        "Configuration "
            + (config.file() == null ? "(embedded defaults)" : config.file())
            + " is valid.");
    out.println("Catalog    " + config.sink().catalog());
    out.println(
        "Tables     "
            + config.tableOptions().namespace()
            + ", layout "
            + config.sink().layout().text()
            + ", "
            + config.tables().compression());
    if (config.sink().dataRoots() != null && !config.sink().dataRoots().isEmpty()) {
      List<String> roots = new ArrayList<>();
      config.sink().dataRoots().forEach((key, root) -> roots.add(key + " -> " + root));
      out.println("Data roots " + String.join(", ", roots));
    }
    out.println(
        "Commits    every "
            + config.sink().commitIntervalMs()
            + " ms"
            + (config.commitJitterMs() > 0
                ? " (each after a random wait of up to " + config.commitJitterMs() + " ms)"
                : "")
            + "; write-ahead log "
            + config.sink().walDirectory());
    if (config.shard() != null) {
      out.println(
          "Shard      "
              + config.shard().index()
              + " of "
              + config.shard().of()
              + ": the books (orderbook, trades) whose CRC-32 of exchange|market|symbol modulo "
              + config.shard().of()
              + " is "
              + config.shard().index()
              + (config.shard().keepsMarketWideFeeds()
                  ? "; and contracts, liquidation, open_interest, funding_rate"
                  : "; contracts, liquidation, open_interest, funding_rate are shard 0's"));
    }
    for (MarketSettings market : config.source().markets()) {
      for (DataType type : DataType.values()) {
        FeedSettings feed = market.enabled(type);
        if (feed == null) {
          continue;
        }
        out.println(
            "Source     "
                + market.exchange()
                + " "
                + market.market().text()
                + " "
                + type.configKey()
                + " <- "
                + (feed.snapshotSource() == dev.lake.core.model.SnapshotSource.BOOK
                    ? "the local book every " + feed.intervalMs() + " ms"
                    : feed.url())
                + (type == DataType.CONTRACTS ? "" : " for " + describe(feed)));
      }
    }
    return ExitCodes.OK;
  }

  private static String describe(FeedSettings feed) {
    if (feed.symbols().all()) {
      return "all symbols"
          + (feed.symbols().quoteAssets().isEmpty()
              ? ""
              : " quoted in " + String.join(", ", feed.symbols().quoteAssets()))
          + (feed.symbols().maxSymbols() > 0
              ? " (at most " + feed.symbols().maxSymbols() + ")"
              : "")
          + (feed.symbols().shard() == null ? "" : " of " + feed.symbols().shard().shard());
    }
    return String.join(", ", feed.symbols().symbols());
  }
}
