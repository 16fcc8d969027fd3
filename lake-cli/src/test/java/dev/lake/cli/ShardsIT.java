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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
 * {@code bin/lake ingest} shards ({@code shard: {index: i, of: n}}, {@code symbols: all}) against
 * one fake Binance, sharing one REST catalog and one S3 warehouse (S3Proxy): a shard killed with
 * SIGKILL while its rows are only in its write-ahead log, and a change of the shard count at a
 * restart.
 */
class ShardsIT {
  private static final List<String> SYMBOLS =
      List.of(
          "BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT", "BNBUSDT", "DOGEUSDT", "ADAUSDT", "TRXUSDT");
  private static final int LEVELS_PER_SIDE = 5;
  private static final long LONG_INTERVAL_MS = 3_600_000;
  private static final Pattern CONFLICTS =
      Pattern.compile("commit conflicts with other writers (\\d+)");
  private static final Pattern METRICS_URL = Pattern.compile("metrics on (http://\\S+/metrics)");
  private static final TableIdentifier DELTA = TableIdentifier.of("crypto", "orderbook_delta");

  @TempDir Path folder;
  private FakeBinance binance;
  private S3ProxyServer s3;
  private RestCatalogServer rest;
  private Distribution distribution;
  private Catalog catalog;
  private final List<Process> processes = new ArrayList<>();
  private final Map<DepthEvent, String> symbolOf = new HashMap<>();

  @BeforeEach
  void start() throws Exception {
    binance = FakeBinance.start(Duration.ofSeconds(2));
    for (String symbol : SYMBOLS) {
      binance.addSymbol(
          MarketType.SPOT, symbol, symbol.replace("USDT", ""), "USDT", LEVELS_PER_SIDE);
    }
    s3 = S3ProxyServer.start(folder.resolve("s3"));
    s3.createBucket("lake");
    rest = RestCatalogServer.start(folder, "s3://lake/warehouse", s3.catalogProperties());
    distribution = Distribution.unpack(folder);
    catalog =
        LakeCatalogs.open(
            new CatalogSettings(CatalogType.REST, rest.uri(), null, null, s3.catalogProperties()));
  }

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
    rest.close();
    s3.close();
    binance.close();
  }

  /** Writes shard {@code index} of {@code of}'s config into its working folder. */
  private Path work(int index, int of, long commitIntervalMs) throws Exception {
    Path work = Files.createDirectories(folder.resolve("shard-" + index));
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
          commit_interval_ms: %7$d
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
                index,
                of,
                commitIntervalMs));
    return work;
  }

  private Process ingest(Path work, String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("ingest", "--config", "lake.yml"));
    args.addAll(List.of(options));
    Process process = distribution.start(work, args.toArray(String[]::new));
    processes.add(process);
    return process;
  }

  private static String stream(String symbol) {
    return symbol.toLowerCase(Locale.ROOT) + "@depth@100ms";
  }

  private static List<String> symbolsOf(int index, int of) {
    Shard share = new Shard(index, of);
    return SYMBOLS.stream().filter(s -> share.keeps("binance", MarketType.SPOT, s)).toList();
  }

  private void awaitSubscribed(List<String> symbols) throws Exception {
    try {
      for (String symbol : symbols) {
        binance.awaitSubscribed(MarketType.SPOT, stream(symbol), Distribution.STARTUP);
      }
    } catch (IllegalStateException e) {
      throw new AssertionError(e.getMessage() + outputs(), e);
    }
  }

  private void awaitUnsubscribed(List<String> symbols) {
    Set<String> streams = symbols.stream().map(ShardsIT::stream).collect(Collectors.toSet());
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> binance.subscriptions(MarketType.SPOT).stream().noneMatch(streams::contains));
  }

  /** What every shard printed so far, for failure messages. */
  private String outputs() throws Exception {
    StringBuilder output = new StringBuilder();
    try (Stream<Path> works = Files.list(folder)) {
      for (Path work :
          works.filter(p -> p.getFileName().toString().startsWith("shard-")).toList()) {
        for (String name : List.of("stdout.txt", "stderr.txt")) {
          Path file = work.resolve(name);
          if (Files.exists(file)) {
            output.append('\n').append(work.getFileName()).append(' ').append(name).append(": ");
            output.append(Files.readString(file));
          }
        }
      }
    }
    return output.toString();
  }

  /** Publishes rounds of one depth event per symbol, paced as a venue spreads its events. */
  private List<DepthEvent> publish(int rounds) throws InterruptedException {
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

  private List<DepthEvent> of(List<DepthEvent> events, List<String> symbols) {
    return events.stream().filter(event -> symbols.contains(symbolOf.get(event))).toList();
  }

  private String key(DepthEvent event) {
    return symbolOf.get(event) + "/" + event.lastUpdateId();
  }

  private static void phase(String name, long started) {
    System.out.printf(
        "ShardsIT: %s after %d s%n",
        name, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
  }

  private static void stopWithSigterm(Process lake, Path work) throws Exception {
    lake.destroy();
    assertThat(lake.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(lake.exitValue()).as(Files.readString(work.resolve("stderr.txt"))).isZero();
  }

  private List<OrderBookDelta> updates() {
    return TableRows.readAll(catalog.loadTable(DELTA)).stream()
        .map(OrderBookDelta.class::cast)
        .filter(d -> !d.isSnapshot())
        .toList();
  }

  /** Waits until the table holds every one of the events (a condition, not a sleep). */
  private void awaitCommitted(List<DepthEvent> events) throws Exception {
    Set<String> missing = new TreeSet<>(events.stream().map(this::key).toList());
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(
              () -> {
                missing.removeAll(
                    updates().stream()
                        .map(d -> d.symbol() + "/" + d.lastUpdateId())
                        .collect(Collectors.toSet()));
                return missing.isEmpty();
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("not committed: " + missing + outputs(), e);
    }
  }

  /**
   * Waits until a shard's books are seeded (a REST snapshot each, asked for by the first event and
   * as large as the book then is) and its count of rows received stays put with none queued;
   * returns that count.
   */
  private static long awaitSeeded(Metrics metrics, int books) {
    double[] previous = {-1};
    String[] last = {""};
    try {
      Awaitility.await()
          .atMost(Distribution.STARTUP)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                Map<String, Double> now = metrics.read();
                last[0] = now.toString();
                boolean settled =
                    now.get("resyncs") == books
                        && now.get("queued") == 0
                        && now.get("received") == previous[0];
                previous[0] = now.get("received");
                return settled;
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("the shard's " + books + " books are not seeded: " + last[0], e);
    }
    return (long) previous[0];
  }

  /**
   * Waits until a shard's Prometheus endpoint shows the rows of the events received on top of a
   * count and none queued: the writer appends rows to its write-ahead log before anything else.
   */
  private static void awaitInLog(Metrics metrics, long received, List<DepthEvent> events) {
    long rows = received;
    for (DepthEvent event : events) {
      rows += event.bids().size() + event.asks().size();
    }
    long expected = rows;
    String[] last = {""};
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                Map<String, Double> now = metrics.read();
                last[0] = now.toString();
                return now.get("received") >= expected && now.get("queued") == 0;
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "the shard did not receive " + expected + " rows for its log: " + last[0], e);
    }
  }

  @Test
  void aShardKilledWhileItsRowsAreOnlyInItsLogCommitsThemOnceAfterItsRestart() throws Exception {
    long started = System.nanoTime();
    int shards = 3;
    // the shard with the most books, so that the kill has rows to lose
    int killed = 0;
    for (int index = 1; index < shards; index++) {
      if (symbolsOf(index, shards).size() > symbolsOf(killed, shards).size()) {
        killed = index;
      }
    }
    List<String> killedBooks = symbolsOf(killed, shards);
    List<Path> works = new ArrayList<>();
    List<Process> running = new ArrayList<>();
    for (int index = 0; index < shards; index++) {
      boolean isKilled = index == killed;
      works.add(work(index, shards, isKilled ? LONG_INTERVAL_MS : 500));
      running.add(
          isKilled
              ? ingest(works.get(index), "--metrics-port", "0")
              : ingest(works.get(index), "--status-interval", "1s"));
    }
    awaitSubscribed(SYMBOLS);
    phase("subscribed", started);
    Metrics killedMetrics = Metrics.of(works.get(killed));
    List<DepthEvent> expected = new ArrayList<>(publish(3)); // the first event asks for a seed
    long seeded = awaitSeeded(killedMetrics, killedBooks.size());
    List<DepthEvent> logged = publish(20);
    expected.addAll(logged);

    // the killed shard commits once an hour: what it received is in its log and nowhere else
    awaitInLog(killedMetrics, seeded, of(logged, killedBooks));
    phase("in the killed shard's log", started);
    assertThat(updates())
        .as("rows of the killed shard's books committed before the kill")
        .noneMatch(d -> killedBooks.contains(d.symbol()));
    // events still in its socket when it dies are not in its log: not required, but never twice
    List<DepthEvent> racingTheKill = publish(5);
    running.get(killed).destroyForcibly(); // SIGKILL
    assertThat(running.get(killed).waitFor(30, TimeUnit.SECONDS)).isTrue();
    awaitUnsubscribed(killedBooks);
    phase("the killed shard unsubscribed", started);
    List<DepthEvent> whileDown = publish(5);
    for (List<DepthEvent> events : List.of(racingTheKill, whileDown)) {
      events.stream().filter(e -> !killedBooks.contains(symbolOf.get(e))).forEach(expected::add);
    }

    work(killed, shards, 500);
    running.set(killed, ingest(works.get(killed), "--status-interval", "1s"));
    awaitSubscribed(killedBooks);
    phase("the killed shard subscribed again", started);
    expected.addAll(publish(20));
    awaitCommitted(expected);
    phase("all committed", started);
    for (int index = 0; index < shards; index++) {
      stopWithSigterm(running.get(index), works.get(index));
    }

    Table table = catalog.loadTable(DELTA);
    assertStoredOnce(expected);
    assertEachBookCollectedByItsShard(writersBySymbol(table, snapshot -> true), shards);
    for (String writerId :
        writersBySymbol(table, snapshot -> true).values().stream()
            .flatMap(Set::stream)
            .collect(Collectors.toSet())) {
      assertThat(table.properties()).containsKey(LakeWriter.positionProperty(writerId));
    }
    System.out.printf(
        "ShardsIT: %d shards, %d update rows, commit conflicts seen %d (last run of each"
            + " process), %d s%n",
        shards,
        updates().size(),
        conflicts(works),
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
  }

  @Test
  void changingTheShardCountAtARestartLosesNoBookAndCollectsNoneTwice() throws Exception {
    long started = System.nanoTime();
    List<Path> works = new ArrayList<>();
    List<Process> running = new ArrayList<>();
    for (int index = 0; index < 2; index++) {
      works.add(work(index, 2, 500));
      running.add(ingest(works.get(index)));
    }
    awaitSubscribed(SYMBOLS);
    phase("two subscribed", started);
    List<DepthEvent> before = publish(10);
    awaitCommitted(before);
    phase("two committed", started);
    for (int index = 0; index < 2; index++) {
      stopWithSigterm(running.get(index), works.get(index));
    }
    awaitUnsubscribed(SYMBOLS);
    phase("two stopped", started);
    long change = catalog.loadTable(DELTA).currentSnapshot().sequenceNumber();

    // shards 0 and 1 keep their logs (their writer ids); a third machine joins
    running.clear();
    works.clear();
    for (int index = 0; index < 3; index++) {
      works.add(work(index, 3, 500));
      running.add(ingest(works.get(index)));
    }
    awaitSubscribed(SYMBOLS);
    phase("three subscribed", started);
    List<DepthEvent> after = publish(10);
    awaitCommitted(after);
    phase("three committed", started);
    for (int index = 0; index < 3; index++) {
      stopWithSigterm(running.get(index), works.get(index));
    }

    Table table = catalog.loadTable(DELTA);
    List<DepthEvent> all = new ArrayList<>(before);
    all.addAll(after);
    assertStoredOnce(all);
    assertEachBookCollectedByItsShard(
        writersBySymbol(table, snapshot -> snapshot.sequenceNumber() <= change), 2);
    assertEachBookCollectedByItsShard(
        writersBySymbol(table, snapshot -> snapshot.sequenceNumber() > change), 3);
    System.out.printf(
        "ShardsIT: 2 shards then 3, %d update rows, %d s%n",
        updates().size(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
  }

  private void assertStoredOnce(List<DepthEvent> expected) {
    List<OrderBookDelta> updates = updates();
    Set<String> stored =
        updates.stream().map(d -> d.symbol() + "/" + d.lastUpdateId()).collect(Collectors.toSet());
    assertThat(expected.stream().map(this::key).filter(key -> !stored.contains(key)).toList())
        .as("events published while their shard ran and not stored")
        .isEmpty();
    assertThat(
            updates.stream()
                .map(d -> d.symbol() + "/" + d.lastUpdateId() + "/" + d.side() + "/" + d.level())
                .distinct()
                .count())
        .as("no row twice")
        .isEqualTo(updates.size());
  }

  /** Every book was committed by one writer, and the books of each writer are one shard's. */
  private static void assertEachBookCollectedByItsShard(
      Map<String, Set<String>> writersBySymbol, int shards) {
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
    for (int index = 0; index < shards; index++) {
      byHash.add(new TreeSet<>(symbolsOf(index, shards)));
    }
    byHash.remove(Set.of());
    assertThat(new HashSet<>(symbolsByWriter.values()))
        .as("the books each writer committed are its shard's by the hash, of " + shards)
        .isEqualTo(byHash);
  }

  /** For each symbol, the writer ids whose appends (among some snapshots) added its data files. */
  private static Map<String, Set<String>> writersBySymbol(
      Table table, Predicate<Snapshot> snapshots) {
    Pattern symbol = Pattern.compile("/symbol=([^/]+)/");
    Map<String, Set<String>> writers = new TreeMap<>();
    for (Snapshot snapshot : table.snapshots()) {
      String writer = snapshot.summary().get(LakeWriter.WRITER_ID_PROPERTY);
      if (writer == null || !snapshots.test(snapshot)) {
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

  private static long conflicts(List<Path> works) throws Exception {
    long conflicts = 0;
    for (Path work : works) {
      Matcher matcher = CONFLICTS.matcher(Files.readString(work.resolve("stdout.txt")));
      while (matcher.find()) {
        conflicts += Long.parseLong(matcher.group(1));
      }
    }
    return conflicts;
  }

  /** A shard's Prometheus endpoint, read for the binance spot counters the test waits on. */
  private record Metrics(URI uri) {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The endpoint a {@code --metrics-port 0} run printed it serves. */
    static Metrics of(Path work) {
      String[] url = {null};
      Awaitility.await()
          .atMost(Distribution.STARTUP)
          .until(
              () -> {
                Matcher matcher = METRICS_URL.matcher(Files.readString(work.resolve("stdout.txt")));
                url[0] = matcher.find() ? matcher.group(1) : null;
                return url[0] != null;
              });
      return new Metrics(URI.create(url[0]));
    }

    Map<String, Double> read() throws Exception {
      String text =
          HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
              .body();
      String market = "exchange=\"binance\",market=\"spot\"";
      return Map.of(
          "received",
          value(text, "lake_rows_received_total", market + ",table=\"orderbook_delta\""),
          "resyncs",
          value(text, "lake_resyncs_total", market),
          "queued",
          value(text, "lake_pipeline_queued_rows", null));
    }

    private static double value(String text, String name, String labels) {
      String series = labels == null ? name + " " : name + "{" + labels + "} ";
      return text.lines()
          .filter(line -> line.startsWith(series))
          .mapToDouble(line -> Double.parseDouble(line.substring(series.length()).trim()))
          .findFirst()
          .orElse(0);
    }
  }
}
