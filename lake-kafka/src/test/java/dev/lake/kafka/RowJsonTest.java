package dev.lake.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OrderBookDelta;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.core.model.PriceLevel;
import dev.lake.core.model.SnapshotSource;
import dev.lake.core.table.LakeTables;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The key and JSON value lake gives a row in Kafka. */
class RowJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  // 2026-11-30T01:02:03.123456Z
  private static final long MICROS = 1_796_000_523_123_456L;

  private static OrderBookDelta delta() {
    return new OrderBookDelta(
        "binance",
        MarketType.FUTURE,
        "BTCUSDT",
        MICROS,
        42,
        BookSide.ASK,
        60000.5,
        0.25,
        3,
        MICROS + 1000,
        40L,
        null,
        false);
  }

  @Test
  void theKeyIsTheBookAsExchangeMarketTypeAndSymbol() {
    assertThat(new String(RowJson.key(delta()), StandardCharsets.UTF_8))
        .isEqualTo("binance|future|BTCUSDT");
  }

  @Test
  void timestampsAreIsoTextInUtcWithMicroseconds() {
    assertThat(RowJson.timestamp(MICROS)).isEqualTo("2026-11-30T01:02:03.123456Z");
    assertThat(RowJson.timestamp(1_796_000_523_000_000L)).isEqualTo("2026-11-30T01:02:03.000000Z");
  }

  @Test
  void timestampsBeforeTheEpochAndOnOtherDaysAreIsoTextToo() {
    assertThat(RowJson.timestamp(-1)).isEqualTo("1969-12-31T23:59:59.999999Z");
    assertThat(RowJson.timestamp(0)).isEqualTo("1970-01-01T00:00:00.000000Z");
    assertThat(RowJson.timestamp(951_782_399_999_999L)).isEqualTo("2000-02-28T23:59:59.999999Z");
    assertThat(RowJson.timestamp(951_782_400_000_000L)).isEqualTo("2000-02-29T00:00:00.000000Z");
    assertThat(RowJson.timestamp(253_402_300_800_000_000L))
        .isEqualTo("+10000-01-01T00:00:00.000000Z");
  }

  @Test
  void eachValueHoldsOnlyItsOwnRowWhenRowsOfSeveralDaysFollowEachOther() throws Exception {
    RowJson json = new RowJson();
    OrderBookDelta first = delta();
    OrderBookDelta nextDay =
        new OrderBookDelta(
            "binance",
            MarketType.SPOT,
            "ETHUSDT",
            MICROS + 86_400_000_000L,
            43,
            BookSide.BID,
            3000.25,
            1.5,
            0,
            MICROS + 86_400_000_000L,
            null,
            42L,
            true);
    byte[] firstValue = json.value(first);
    byte[] secondValue = json.value(nextDay);
    assertThat(MAPPER.readTree(firstValue).get("timestamp").asText())
        .isEqualTo("2026-11-30T01:02:03.123456Z");
    JsonNode second = MAPPER.readTree(secondValue);
    assertThat(new String(secondValue, StandardCharsets.UTF_8)).startsWith("{\"exchange\"");
    assertThat(second.get("timestamp").asText()).isEqualTo("2026-12-01T01:02:03.123456Z");
    assertThat(second.get("symbol").asText()).isEqualTo("ETHUSDT");
    assertThat(second.get("first_update_id").isNull()).isTrue();
    assertThat(second.get("prev_update_id").asLong()).isEqualTo(42);
    assertThat(second.get("is_snapshot").asBoolean()).isTrue();
  }

  @Test
  void theValueHasEveryColumnOfTheTableByNameInOrder() throws Exception {
    JsonNode value = MAPPER.readTree(new RowJson().value(delta()));
    List<String> names = new ArrayList<>();
    value.fieldNames().forEachRemaining(names::add);
    List<String> columns = new ArrayList<>();
    LakeTables.ORDERBOOK_DELTA.columns().forEach(column -> columns.add(column.name()));
    assertThat(names).containsExactlyElementsOf(columns);
    assertThat(value.get("market").asText()).isEqualTo("future");
    assertThat(value.get("timestamp").asText()).isEqualTo("2026-11-30T01:02:03.123456Z");
    assertThat(value.get("local_timestamp").asText()).isEqualTo("2026-11-30T01:02:03.124456Z");
    assertThat(value.get("last_update_id").asLong()).isEqualTo(42);
    assertThat(value.get("side").asText()).isEqualTo("ask");
    assertThat(value.get("price").asDouble()).isEqualTo(60000.5);
    assertThat(value.get("prev_update_id").isNull()).isTrue();
    assertThat(value.get("is_snapshot").asBoolean()).isFalse();
  }

  @Test
  void priceLevelsAreArraysOfPriceAndQuantity() throws Exception {
    OrderBookSnapshot snapshot =
        new OrderBookSnapshot(
            "okx",
            MarketType.SPOT,
            "BTC-USDT",
            MICROS / 1000,
            List.of(new PriceLevel(100.5, 2), new PriceLevel(100.25, 1.5)),
            List.of(new PriceLevel(101, 0.125)),
            MICROS,
            7L,
            SnapshotSource.BOOK);
    JsonNode value = MAPPER.readTree(new RowJson().value(snapshot));
    assertThat(value.get("bids").toString())
        .isEqualTo("[{\"price\":100.5,\"quantity\":2.0},{\"price\":100.25,\"quantity\":1.5}]");
    assertThat(value.get("timestamp_ms").asLong()).isEqualTo(MICROS / 1000);
    assertThat(value.get("timestamp").asText()).isEqualTo("2026-11-30T01:02:03.123000Z");
    assertThat(new String(RowJson.key(snapshot), StandardCharsets.UTF_8))
        .isEqualTo("okx|spot|BTC-USDT");
  }
}
