package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.CatalogType;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.read.TableRows;
import dev.lake.core.write.LakeWriter;
import dev.lake.exchanges.Shard;
import dev.lake.testing.RestCatalogServer;
import dev.lake.testing.S3ProxyServer;
import dev.lake.testing.binance.DepthEvent;
import dev.lake.testing.binance.FakeBinance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code bin/lake ingest} processes share one REST catalog and one S3 warehouse (S3Proxy),
 * each with {@code shard: {index: i, of: 3}} and {@code symbols: all} against one fake Binance; one
 * is killed with SIGKILL and restarted mid-run.
 */
class ShardsIT {
  private static final int SHARDS = 3;
  private static final List<String> SYMBOLS =
      List.of(
          "BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT", "BNBUSDT", "DOGEUSDT", "ADAUSDT", "TRXUSDT");
  private static final int KILLED = 1;
  private static final Pattern CONFLICTS =
      Pattern.compile("commit conflicts with other writers (\\d+)");

  @TempDir Path folder;
  private FakeBinance binance;
  private S3ProxyServer s3;
  private RestCatalogServer rest;
  private Distribution distribution;

  @BeforeEach
  void start() throws Exception {
    binance = FakeBinance.start(Duration.ofSeconds(2));
    for (String symbol : SYMBOLS) {
      binance.addSymbol(MarketType.SPOT, symbol, symbol.replace("USDT", ""), "USDT", 5);
    }
    s3 = S3ProxyServer.start(folder.resolve("s3"));
    s3.createBucket("lake");
    rest = RestCatalogServer.start(folder, "s3://lake/warehouse", s3.catalogProperties());
    distribution = Distribution.unpack(folder);
  }

  @AfterEach
  void stop() {
    rest.close();
    s3.close();
    binance.close();
  }

  private Path work(int shard) throws Exception {
    Path work = Files.createDirectories(folder.resolve("shard-" + shard));
    StringBuilder properties = new StringBuilder();
    s3.catalogProperties()
        .forEach(
            (key, value) ->
                properties.append("      ").append(key).append(": '").append(value).append("'\n"));
    Files.writeString(
        work.resolve("lake.yml"),
        """
        source:
          binance:
            spot:
              orderbook:
                delta: {url: %2$s/ws, snapshot_url: %1$s/api/v3/depth, symbols: all}
        sink:
          warehouse: s3://lake/warehouse
          commit_interval_ms: 500
          shutdown_timeout_ms: 20000
          wal_dir: ./wal
          catalog:
            type: rest
            uri: %3$s
            properties:
        %4$s
        shard: {index: %5$d, of: %6$d}
        """
            .formatted(
                binance.httpBase(),
                binance.wsBase(),
                rest.uri(),
                properties.toString().stripTrailing(),
                shard,
                SHARDS));
    return work;
  }

  private Process ingest(Path work) throws Exception {
    return distribution.start(work, "ingest", "--config", "lake.yml", "--status-interval", "1s");
  }

  private static String stream(String symbol) {
    return symbol.toLowerCase(Locale.ROOT) + "@depth@100ms";
  }

  private static List<String> symbolsOf(int shard) {
    Shard share = new Shard(shard, SHARDS);
    return SYMBOLS.stream().filter(s -> share.keeps("binance", MarketType.SPOT, s)).toList();
  }

  private void awaitSubscribed(List<String> symbols) throws Exception {
    try {
      for (String symbol : symbols) {
        binance.awaitSubscribed(MarketType.SPOT, stream(symbol), Duration.ofSeconds(120));
      }
    } catch (IllegalStateException e) {
      StringBuilder output = new StringBuilder(e.getMessage());
      for (int shard = 0; shard < SHARDS; shard++) {
        for (String name : List.of("stdout.txt", "stderr.txt")) {
          Path file = folder.resolve("shard-" + shard).resolve(name);
          if (Files.exists(file)) {
            output.append("\nshard ").append(shard).append(' ').append(name).append(": ");
            output.append(Files.readString(file));
          }
        }
      }
      throw new AssertionError(output.toString(), e);
    }
  }

  /** Publishes rounds of one depth event per symbol, paced as a venue spreads its events. */
  private List<DepthEvent> publish(int rounds, Map<DepthEvent, String> symbolOf)
      throws InterruptedException {
    List<DepthEvent> sent = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      for (String symbol : SYMBOLS) {
        DepthEvent event = binance.publishDepth(MarketType.SPOT, symbol, 2);
        sent.add(event);
        symbolOf.put(event, symbol);
      }
      Thread.sleep(20);
    }
    return sent;
  }

  private static void stopWithSigterm(Process lake, Path work) throws Exception {
    lake.destroy();
    assertThat(lake.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(lake.exitValue()).as(Files.readString(work.resolve("stderr.txt"))).isZero();
  }

  @Test
  void threeShardsCollectEveryBookOnceAndAKilledShardResumesItsOwnLog() throws Exception {
    long started = System.nanoTime();
    List<Path> works = new ArrayList<>();
    List<Process> processes = new ArrayList<>();
    for (int shard = 0; shard < SHARDS; shard++) {
      works.add(work(shard));
      processes.add(ingest(works.get(shard)));
    }
    awaitSubscribed(SYMBOLS);
    Map<DepthEvent, String> symbolOf = new HashMap<>();
    List<DepthEvent> expected = new ArrayList<>(publish(20, symbolOf));
    Catalog catalog =
        LakeCatalogs.open(
            new CatalogSettings(CatalogType.REST, rest.uri(), null, null, s3.catalogProperties()));
    awaitCommitted(catalog, expected, symbolOf);

    // events the killed shard had received but not committed are in its log; those still in its
    // socket when it died are not (a restart_gap): they are not required, but never twice
    List<DepthEvent> racingTheKill = publish(5, symbolOf);
    processes.get(KILLED).destroyForcibly(); // SIGKILL
    assertThat(processes.get(KILLED).waitFor(30, TimeUnit.SECONDS)).isTrue();
    Set<String> down = symbolsOf(KILLED).stream().map(ShardsIT::stream).collect(Collectors.toSet());
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> binance.subscriptions(MarketType.SPOT).stream().noneMatch(down::contains));
    List<DepthEvent> whileDown = publish(5, symbolOf);
    for (List<DepthEvent> events : List.of(racingTheKill, whileDown)) {
      events.stream()
          .filter(event -> !symbolsOf(KILLED).contains(symbolOf.get(event)))
          .forEach(expected::add);
    }

    processes.set(KILLED, ingest(works.get(KILLED)));
    awaitSubscribed(symbolsOf(KILLED));
    expected.addAll(publish(20, symbolOf));
    Thread.sleep(300); // the last events reach lake before it stops: the time is the behaviour
    for (int shard = 0; shard < SHARDS; shard++) {
      stopWithSigterm(processes.get(shard), works.get(shard));
    }

    Table table = catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta"));
    List<OrderBookDelta> rows =
        TableRows.readAll(table).stream().map(OrderBookDelta.class::cast).toList();
    List<OrderBookDelta> updates = rows.stream().filter(d -> !d.isSnapshot()).toList();

    Set<String> stored =
        updates.stream().map(d -> d.symbol() + "/" + d.lastUpdateId()).collect(Collectors.toSet());
    assertThat(
            expected.stream()
                .map(event -> symbolOf.get(event) + "/" + event.lastUpdateId())
                .filter(key -> !stored.contains(key))
                .toList())
        .as("events published while their shard ran and not stored")
        .isEmpty();
    assertThat(
            updates.stream()
                .map(d -> d.symbol() + "/" + d.lastUpdateId() + "/" + d.side() + "/" + d.level())
                .distinct()
                .count())
        .as("no row twice")
        .isEqualTo(updates.size());

    Map<String, Set<String>> writersBySymbol = writersBySymbol(table);
    assertThat(writersBySymbol.keySet()).containsExactlyInAnyOrderElementsOf(SYMBOLS);
    assertThat(writersBySymbol.values())
        .as("each book committed by one writer")
        .allSatisfy(writers -> assertThat(writers).hasSize(1));
    Map<String, Set<String>> symbolsByWriter = new HashMap<>();
    writersBySymbol.forEach(
        (symbol, writers) ->
            symbolsByWriter
                .computeIfAbsent(writers.iterator().next(), w -> new TreeSet<>())
                .add(symbol));
    Set<Set<String>> byHash = new HashSet<>();
    for (int shard = 0; shard < SHARDS; shard++) {
      byHash.add(new TreeSet<>(symbolsOf(shard)));
    }
    byHash.remove(Set.of());
    assertThat(new HashSet<>(symbolsByWriter.values()))
        .as("the books each writer committed are its shard's by the hash")
        .isEqualTo(byHash);
    for (String writerId : symbolsByWriter.keySet()) {
      assertThat(table.properties()).containsKey(LakeWriter.positionProperty(writerId));
    }

    long conflicts = 0;
    for (Path work : works) {
      Matcher matcher = CONFLICTS.matcher(Files.readString(work.resolve("stdout.txt")));
      while (matcher.find()) {
        conflicts += Long.parseLong(matcher.group(1));
      }
    }
    System.out.printf(
        "ShardsIT: %d shards, %d rows, commit conflicts seen %d (last run of each process), %d"
            + " s%n",
        SHARDS,
        rows.size(),
        conflicts,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
  }

  /** Waits until the killed shard's books hold every event published to them so far. */
  private static void awaitCommitted(
      Catalog catalog, List<DepthEvent> events, Map<DepthEvent, String> symbolOf) {
    Set<String> wanted =
        events.stream()
            .filter(event -> symbolsOf(KILLED).contains(symbolOf.get(event)))
            .map(event -> symbolOf.get(event) + "/" + event.lastUpdateId())
            .collect(Collectors.toSet());
    Set<String> missing = new TreeSet<>(wanted);
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(
              () -> {
                missing.removeAll(
                    TableRows.readAll(
                            catalog.loadTable(TableIdentifier.of("crypto", "orderbook_delta")))
                        .stream()
                        .map(OrderBookDelta.class::cast)
                        .map(d -> d.symbol() + "/" + d.lastUpdateId())
                        .collect(Collectors.toSet()));
                return missing.isEmpty();
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("not committed: " + missing, e);
    }
  }

  /** For each symbol, the writer ids whose appends added its data files. */
  private static Map<String, Set<String>> writersBySymbol(Table table) {
    Pattern symbol = Pattern.compile("/symbol=([^/]+)/");
    Map<String, Set<String>> writers = new TreeMap<>();
    for (Snapshot snapshot : table.snapshots()) {
      String writer = snapshot.summary().get(LakeWriter.WRITER_ID_PROPERTY);
      if (writer == null) {
        continue;
      }
      for (DataFile file : snapshot.addedDataFiles(table.io())) {
        Matcher matcher = symbol.matcher(file.location());
        if (matcher.find()) {
          writers.computeIfAbsent(matcher.group(1), s -> new HashSet<>()).add(writer);
        }
      }
    }
    return writers;
  }
}
