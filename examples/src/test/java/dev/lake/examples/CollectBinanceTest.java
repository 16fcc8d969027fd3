package dev.lake.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.model.MarketType;
import dev.lake.testing.binance.DepthEvent;
import dev.lake.testing.binance.FakeBinance;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectBinanceTest {
  @TempDir Path folder;

  @Test
  void theExampleCollectsFromAVenueIntoTheTablesWithoutTheCli() throws Exception {
    AtomicLong published = new AtomicLong();
    try (FakeBinance binance = FakeBinance.start()) {
      binance.addSymbol(MarketType.SPOT, "BTCUSDT", "BTC", "USDT", 50);
      Thread publisher =
          new Thread(
              () -> {
                try {
                  binance.awaitSubscribed(
                      MarketType.SPOT, "btcusdt@depth@100ms", Duration.ofSeconds(20));
                  for (int i = 0; i < 30; i++) {
                    DepthEvent event = binance.publishDepth(MarketType.SPOT, "BTCUSDT", 3);
                    published.addAndGet(event.bids().size() + event.asks().size());
                    Thread.sleep(20); // pacing the fake, as a venue spreads its events
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      publisher.start();
      String output = run(folder.toString(), "4", binance.httpBase(), binance.wsBase());
      publisher.join();
      assertThat(output).contains("Committed: {").contains("orderbook_delta=");
      String committed = output.substring(output.indexOf("Committed: "));
      long deltas = Long.parseLong(committed.replaceAll("(?s).*orderbook_delta=(\\d+).*", "$1"));
      // every published change, and the levels of the snapshot that seeded the book (about 50 a
      // side, changed by the events before it)
      assertThat(deltas - published.get()).isBetween(60L, 140L);
    }
  }

  private static String run(String... args) throws InterruptedException {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      CollectBinance.main(args);
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
