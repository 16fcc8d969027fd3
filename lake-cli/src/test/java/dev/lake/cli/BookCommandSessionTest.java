package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.LakeCatalogs;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.PriceLevel;
import dev.lake.core.write.LakeWriter;
import dev.lake.exchanges.book.BookMessage;
import dev.lake.exchanges.book.BookRules;
import dev.lake.exchanges.book.BookSequence;
import dev.lake.exchanges.book.BookSync;
import dev.lake.exchanges.book.StreamEvents;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * For scripted sessions with a resync, a reset, a reconnect and a restart, the book {@code lake
 * book} prints at several times equals the book the venue had at those times. The script plays the
 * venue: it keeps the true book itself, sends (or loses) its messages to a {@link BookSync}, whose
 * rows go through a real {@link LakeWriter} into an embedded catalog; then {@code lake book --at T
 * --format json} is run for each time the script noted.
 */
class BookCommandSessionTest {
  private static final long START = micros(Instant.parse("2026-11-29T12:00:00Z"));
  private static final long STEP = 100_000; // between the venue's messages
  private static final long LATENCY = 3_000; // from the venue to lake
  private static final BookRules.IdNames IDS = new BookRules.IdNames("U", "u", "pu");

  @TempDir Path folder;

  /** A time to ask for, the venue's book then (null: not checked), and whether lake knows it. */
  private record Checkpoint(long at, List<PriceLevel> bids, List<PriceLevel> asks, boolean exact) {}

  private final List<LakeRow> rows = new ArrayList<>();
  private final List<Checkpoint> checkpoints = new ArrayList<>();
  private final Random random = new Random(20261129);
  private final TreeMap<Double, Double> bids = new TreeMap<>(Comparator.reverseOrder());
  private final TreeMap<Double, Double> asks = new TreeMap<>();
  private final Map<Long, BookMessage> statesById = new HashMap<>();
  private long now = START;
  private long id;
  private LakeWriter writer;

  @Test
  void aStreamSeededBookIsPrintedAsTheVenueHadItThroughAResyncAResetAReconnectAndARestart()
      throws Exception {
    BookRules rules =
        BookRules.streamSeeded(BookSequence.CONTIGUOUS, IDS).resetWhen(m -> m.lastId == 1);
    openWriter();
    id = 100;
    newBook(90);
    BookSync sync = streamBook(rules, null);
    receive(sync, fullBook(false));
    for (int i = 0; i < 10; i++) {
      receive(sync, change());
      if (i == 4) {
        expect(true);
      }
    }

    change(); // lost
    change(); // lost
    expect(false); // the venue's book has moved on, lake has not noticed yet
    receive(sync, change()); // a gap: u 111..112 missing
    expect(false);
    change(); // lost while subscribing again
    receive(sync, fullBook(false)); // the stream's snapshot
    for (int i = 0; i < 5; i++) {
      receive(sync, change());
      if (i == 2) {
        expect(true);
      }
    }
    commit();

    id = 0; // the venue restarted: u = 1 carries its whole new book
    newBook(80);
    receive(sync, fullBook(true));
    for (int i = 0; i < 5; i++) {
      receive(sync, change());
      if (i == 2) {
        expect(true);
      }
    }

    sync.onStreamLost();
    rows.add(disconnect(MarketType.SPOT));
    expect(false);
    change(); // lost
    change(); // lost
    receive(sync, fullBook(false)); // a new connection's snapshot
    for (int i = 0; i < 5; i++) {
      receive(sync, change());
      if (i == 2) {
        expect(true);
      }
    }
    commit();

    long persisted = sync.lastId();
    change(); // lost: lake is down
    change();
    expect(false);
    sync = streamBook(rules, persisted);
    receive(sync, fullBook(false));
    for (int i = 0; i < 5; i++) {
      receive(sync, change());
      if (i == 2) {
        expect(true);
      }
    }
    expect(true); // the end of the table: nothing after it can be missing
    commit();
    writer.close();

    assertThat(sync.gaps()).as("the restart gap").isEqualTo(1);
    assertCheckpoints(MarketType.SPOT, "ETHUSDT");
  }

  @Test
  void aRestSeededBookIsPrintedAsTheVenueHadItThroughAResyncAReconnectAndARestart()
      throws Exception {
    BookRules rules = BookRules.restSeeded(BookSequence.LINKED_INCREASING, IDS);
    openWriter();
    id = 1000;
    newBook(60_000);
    BookSync sync = restBook(rules, null);
    List<BookMessage> buffered = List.of(linked(), linked(), linked());
    buffered.forEach(message -> receive(sync, message));
    restSnapshot(sync, buffered.get(1).lastId); // stitched to the last two
    for (int i = 0; i < 5; i++) {
      receive(sync, linked());
      if (i == 2) {
        expect(true);
      }
    }

    linked(); // lost
    linked(); // lost
    expect(false);
    BookMessage revealing = linked();
    receive(sync, revealing); // a gap: pu is not the last u
    expect(true); // by exchange time the coming snapshot, at this very message, already holds
    receive(sync, linked());
    receive(sync, linked());
    restSnapshot(sync, revealing.lastId);
    for (int i = 0; i < 5; i++) {
      receive(sync, linked());
      if (i == 2) {
        expect(true);
      }
    }
    commit();

    sync.onStreamLost();
    rows.add(disconnect(MarketType.FUTURE));
    expect(false);
    linked(); // lost
    linked(); // lost
    BookMessage first = linked();
    receive(sync, first);
    receive(sync, linked());
    restSnapshot(sync, first.lastId);
    for (int i = 0; i < 5; i++) {
      receive(sync, linked());
      if (i == 2) {
        expect(true);
      }
    }
    commit();

    long persisted = sync.lastId();
    linked(); // lost: lake is down
    linked();
    expect(false);
    BookSync restarted = restBook(rules, persisted);
    first = linked();
    receive(restarted, first); // a restart gap
    receive(restarted, linked());
    restSnapshot(restarted, first.lastId);
    for (int i = 0; i < 5; i++) {
      receive(restarted, linked());
    }
    expect(true); // the end of the table: nothing after it can be missing
    commit();
    writer.close();

    assertThat(restarted.gaps()).isEqualTo(1);
    assertCheckpoints(MarketType.FUTURE, "BTCUSDT");
  }

  private void assertCheckpoints(MarketType market, String symbol) throws Exception {
    assertThat(checkpoints).extracting(Checkpoint::exact).contains(true, false);
    for (Checkpoint checkpoint : checkpoints) {
      String at = time(checkpoint.at());
      CliRun run =
          CliRun.run(
              folder,
              "book",
              "--exchange",
              "binance",
              "--market",
              market.text(),
              "--symbol",
              symbol,
              "--at",
              at,
              "--depth",
              "1000",
              "--format",
              "json");
      assertThat(run.exitCode()).as(at + ": " + run.err()).isZero();
      JsonNode book = new ObjectMapper().readTree(run.out());
      assertThat(book.get("exact").asBoolean())
          .as("exact at %s: %s", at, run.out())
          .isEqualTo(checkpoint.exact());
      if (checkpoint.bids() != null) {
        assertThat(levels(book.get("bids"))).as("bids at " + at).isEqualTo(checkpoint.bids());
        assertThat(levels(book.get("asks"))).as("asks at " + at).isEqualTo(checkpoint.asks());
      }
    }
  }

  // ---- the venue ----

  private BookSync streamBook(BookRules rules, Long persisted) {
    return new BookSync("binance", MarketType.SPOT, "ETHUSDT", rules, persisted, (b, d) -> {});
  }

  private BookSync restBook(BookRules rules, Long persisted) {
    return new BookSync("binance", MarketType.FUTURE, "BTCUSDT", rules, persisted, (b, d) -> {});
  }

  /** A new book of ten levels a side around a mid price. */
  private void newBook(double mid) {
    bids.clear();
    asks.clear();
    for (int i = 1; i <= 10; i++) {
      bids.put(mid - i, 1.0 + random.nextInt(50) / 10.0);
      asks.put(mid + i, 1.0 + random.nextInt(50) / 10.0);
    }
  }

  /** The whole book as a stream snapshot, or (for a venue's reset) as the message u = 1. */
  private BookMessage fullBook(boolean resetMessage) {
    BookMessage message = message();
    id++;
    message.snapshot = !resetMessage;
    message.firstId = resetMessage ? id : BookMessage.NONE;
    message.lastId = id;
    bids.forEach(message.bids::add);
    asks.forEach(message.asks::add);
    return message;
  }

  /** The next message of one id (firstId = lastId), changing one to three levels. */
  private BookMessage change() {
    BookMessage message = message();
    id++;
    message.firstId = id;
    message.lastId = id;
    changeLevels(message);
    return message;
  }

  /** The next message of two ids naming the previous message's id (U, u, pu). */
  private BookMessage linked() {
    BookMessage message = message();
    message.prevId = id;
    message.firstId = id + 1;
    id += 2;
    message.lastId = id;
    changeLevels(message);
    statesById.put(id, snapshotNow(message.timestampMicros));
    return message;
  }

  private BookMessage message() {
    now += STEP;
    BookMessage message = new BookMessage();
    message.symbol = "BOOK";
    message.timestampMicros = now;
    return message;
  }

  private void changeLevels(BookMessage message) {
    double mid = (bids.isEmpty() ? asks.firstKey() : bids.firstKey()) + 0.5;
    for (int i = 0, changes = 1 + random.nextInt(3); i < changes; i++) {
      boolean bid = random.nextBoolean();
      double price = bid ? mid - 0.5 - random.nextInt(12) : mid + 0.5 + random.nextInt(12);
      double quantity = random.nextInt(4) == 0 ? 0 : 0.5 + random.nextInt(40) / 10.0;
      TreeMap<Double, Double> side = bid ? bids : asks;
      if (quantity == 0) {
        side.remove(price);
      } else {
        side.put(price, quantity);
      }
      (bid ? message.bids : message.asks).add(price, quantity);
    }
  }

  private BookMessage snapshotNow(long timestamp) {
    BookMessage snapshot = new BookMessage();
    snapshot.symbol = "BOOK";
    snapshot.timestampMicros = timestamp;
    bids.forEach(snapshot.bids::add);
    asks.forEach(snapshot.asks::add);
    return snapshot;
  }

  /** The answer to a REST request: the book at a past id, received now. */
  private void restSnapshot(BookSync sync, long at) {
    BookMessage state = statesById.get(at);
    state.lastId = at;
    sync.onSnapshot(state, now + LATENCY, rows);
    assertThat(sync.state()).isEqualTo(BookSync.State.LIVE);
  }

  private void receive(BookSync sync, BookMessage message) {
    sync.onMessage(message, message.timestampMicros + LATENCY, rows);
  }

  private LakeRow disconnect(MarketType market) {
    now += STEP / 2;
    return new StreamEvents("binance", market, OrderBookDelta.TABLE)
        .disconnected(URI.create("wss://venue.test/ws"), "c1", "connection reset", true, now);
  }

  /** Notes the venue's book halfway to its next message. */
  private void expect(boolean exact) {
    long at = now + STEP / 2;
    if (exact) {
      checkpoints.add(new Checkpoint(at, levels(bids), levels(asks), true));
    } else {
      checkpoints.add(new Checkpoint(at, null, null, false));
    }
  }

  // ---- the tables ----

  private void openWriter() {
    writer =
        LakeWriter.builder(
                LakeCatalogs.open(CatalogSettings.embedded(folder.resolve("warehouse").toString())))
            .withoutWriteAheadLog()
            .build();
  }

  private void commit() {
    writer.append(List.copyOf(rows));
    writer.flush();
    rows.clear();
  }

  private static List<PriceLevel> levels(TreeMap<Double, Double> side) {
    return side.entrySet().stream().map(e -> new PriceLevel(e.getKey(), e.getValue())).toList();
  }

  private static List<PriceLevel> levels(JsonNode side) {
    List<PriceLevel> levels = new ArrayList<>();
    side.forEach(
        level ->
            levels.add(
                new PriceLevel(level.get("price").asDouble(), level.get("quantity").asDouble())));
    return levels;
  }

  private static long micros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
  }

  private static String time(long micros) {
    return Instant.ofEpochSecond(micros / 1_000_000L, micros % 1_000_000L * 1_000L).toString();
  }
}
