package dev.lake.cli.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lake.core.model.MarketType;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Messages counted per feed: a {@code lake ingest} of spot depth and trades on a fake Binance. */
class FeedMessagesTest {
  @TempDir Path folder;
  private RunningIngest ingest;

  @BeforeEach
  void start() throws Exception {
    ingest = RunningIngest.startWithSpotTrades(folder);
    ingest.awaitEndpoint();
  }

  @AfterEach
  void stop() throws Exception {
    ingest.close();
  }

  @Test
  void messagesAreCountedPerFeedOfEachMarket() throws Exception {
    ingest.publishRound();
    for (int trade = 0; trade < 3; trade++) {
      ingest.binance.publishTrade(
          MarketType.SPOT, "BTCUSDT", "100.5", "0.25", System.currentTimeMillis(), false);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> messages(ingest.scrape(), "spot", "trades") >= 3);
    PrometheusText metrics = ingest.scrape();

    assertThat(messages(metrics, "spot", "orderbook_delta")).isGreaterThan(0);
    assertThat(messages(metrics, "future", "orderbook_delta")).isGreaterThan(0);
    assertThat(metrics.samples())
        .filteredOn(sample -> sample.name().equals("lake_messages_received_total"))
        .extracting(sample -> sample.labels().get("market") + " " + sample.labels().get("feed"))
        .containsExactlyInAnyOrder("spot orderbook_delta", "spot trades", "future orderbook_delta");
  }

  private static double messages(PrometheusText metrics, String market, String feed) {
    return metrics.sum(
        "lake_messages_received_total",
        labels ->
            "binance".equals(labels.get("exchange"))
                && market.equals(labels.get("market"))
                && feed.equals(labels.get("feed")));
  }
}
