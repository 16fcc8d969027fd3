package dev.lake.testing.binance;

import static dev.lake.core.model.MarketType.FUTURE;
import static dev.lake.core.model.MarketType.SPOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lake.core.model.MarketType;
import dev.lake.testing.venue.WebSocketTestClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeBinanceTest {
  private static final Duration WAIT = WebSocketTestClient.WAIT;
  private static final String DEPTH_100MS = "btcusdt@depth@100ms";
  private static final String SUBSCRIBE_DEPTH_100MS =
      "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@depth@100ms\"],\"id\":1}";

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<WebSocketTestClient> clients = new ArrayList<>();
  private FakeBinance binance;

  @BeforeEach
  void start() {
    binance = FakeBinance.start();
    binance.addSymbol(SPOT, "BTCUSDT", "BTC", "USDT", 200);
    binance.addSymbol(SPOT, "ETHUSDT", "ETH", "USDT", 50);
    binance.addSymbol(FUTURE, "BTCUSDT", "BTC", "USDT", 200);
  }

  @AfterEach
  void stop() {
    clients.forEach(WebSocketTestClient::close);
    binance.close();
  }

  @Test
  void restDepthMatchesTheServerBook() throws Exception {
    binance.publishDepth(SPOT, "BTCUSDT", 10);
    HttpResponse<String> response = get("/api/v3/depth?symbol=BTCUSDT&limit=20");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("application/json");
    assertThat(response.headers().firstValue("X-MBX-USED-WEIGHT-1M")).isPresent();
    JsonNode body = WebSocketTestClient.parse(response.body());
    assertThat(body.fieldNames()).toIterable().containsExactly("lastUpdateId", "bids", "asks");
    FakeBook book = binance.book(SPOT, "BTCUSDT");
    assertThat(body.get("lastUpdateId").asLong()).isEqualTo(book.lastUpdateId());
    assertThat(prices(body.get("bids"))).isSortedAccordingTo(Comparator.reverseOrder());
    assertThat(prices(body.get("asks"))).isSorted();
    assertThat(levels(body.get("bids"))).isEqualTo(top(book.bids(), 20));
    assertThat(levels(body.get("asks"))).isEqualTo(top(book.asks(), 20));
    assertThat(body.get("bids").get(0).get(0).asText()).matches("\\d+\\.\\d{8}");
    assertThat(body.get("bids").get(0).get(0).asDouble())
        .isLessThan(body.get("asks").get(0).get(0).asDouble());
  }

  @Test
  void restAnswersAClientThatOffersAnHttp2Upgrade() throws Exception {
    HttpClient http2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(binance.httpBase() + "/api/v3/ping"))
            .timeout(WAIT)
            .build();

    HttpResponse<String> response = http2.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(response.body()).isEqualTo("{}");
  }

  @Test
  void spotRestDepthDefaultsToAHundredLevels() throws Exception {
    JsonNode body = getJson("/api/v3/depth?symbol=BTCUSDT");

    assertThat(body.get("bids")).hasSize(100);
    assertThat(body.get("asks")).hasSize(100);
  }

  @Test
  void futuresRestDepthAddsTimesAndAcceptsOnlyBinanceLimits() throws Exception {
    JsonNode body = getJson("/fapi/v1/depth?symbol=BTCUSDT&limit=5");

    assertThat(body.fieldNames())
        .toIterable()
        .containsExactly("lastUpdateId", "E", "T", "bids", "asks");
    assertThat(body.get("bids")).hasSize(5);
    assertThat(body.get("bids").get(0).get(0).asText()).matches("\\d+\\.\\d{2}");
    assertThat(body.get("bids").get(0).get(1).asText()).matches("\\d+\\.\\d{3}");
    assertThat(body.get("lastUpdateId").asLong())
        .isEqualTo(binance.book(FUTURE, "BTCUSDT").lastUpdateId());
    HttpResponse<String> invalid = get("/fapi/v1/depth?symbol=BTCUSDT&limit=7");
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalid.body())
        .isEqualTo("{\"code\":-1130,\"msg\":\"Data sent for parameter 'limit' is not valid.\"}");
  }

  @Test
  void restRejectsUnknownAndMissingSymbolsWithBinanceCodes() throws Exception {
    HttpResponse<String> unknown = get("/api/v3/depth?symbol=NOPEUSDT");
    HttpResponse<String> missing = get("/api/v3/depth");
    HttpResponse<String> futuresUnknown = get("/fapi/v1/openInterest?symbol=ETHUSDT");

    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).isEqualTo("{\"code\":-1121,\"msg\":\"Invalid symbol.\"}");
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(WebSocketTestClient.parse(missing.body()).get("code").asInt()).isEqualTo(-1102);
    assertThat(futuresUnknown.statusCode()).isEqualTo(400);
    assertThat(futuresUnknown.body()).isEqualTo("{\"code\":-1121,\"msg\":\"Invalid symbol.\"}");
  }

  @Test
  void unknownPathAnswers404WithJson() throws Exception {
    HttpResponse<String> response = get("/api/v3/nothing");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("application/json");
  }

  @Test
  void spotExchangeInfoListsAddedSymbolsWithTheirFilters() throws Exception {
    JsonNode body = getJson("/api/v3/exchangeInfo");

    assertThat(body.get("timezone").asText()).isEqualTo("UTC");
    assertThat(body.get("serverTime").asLong()).isPositive();
    assertThat(body.get("rateLimits")).isNotEmpty();
    assertThat(body.get("symbols")).hasSize(2);
    JsonNode btc = body.get("symbols").get(0);
    assertThat(btc.get("symbol").asText()).isEqualTo("BTCUSDT");
    assertThat(btc.get("status").asText()).isEqualTo("TRADING");
    assertThat(btc.get("baseAsset").asText()).isEqualTo("BTC");
    assertThat(btc.get("quoteAsset").asText()).isEqualTo("USDT");
    assertThat(btc.get("baseAssetPrecision").asInt()).isEqualTo(8);
    assertThat(btc.get("quotePrecision").asInt()).isEqualTo(8);
    JsonNode priceFilter = btc.get("filters").get(0);
    assertThat(priceFilter.get("filterType").asText()).isEqualTo("PRICE_FILTER");
    assertThat(priceFilter.get("minPrice").asText()).isEqualTo("0.01000000");
    assertThat(priceFilter.get("maxPrice").asText()).isEqualTo("1000000.00000000");
    assertThat(priceFilter.get("tickSize").asText()).isEqualTo("0.01000000");
    assertThat(btc.get("filters").get(1).get("filterType").asText()).isEqualTo("LOT_SIZE");
  }

  @Test
  void futuresExchangeInfoDescribesPerpetuals() throws Exception {
    JsonNode body = getJson("/fapi/v1/exchangeInfo");

    assertThat(body.get("serverTime").asLong()).isPositive();
    assertThat(body.get("symbols")).hasSize(1);
    JsonNode btc = body.get("symbols").get(0);
    assertThat(btc.get("symbol").asText()).isEqualTo("BTCUSDT");
    assertThat(btc.get("pair").asText()).isEqualTo("BTCUSDT");
    assertThat(btc.get("contractType").asText()).isEqualTo("PERPETUAL");
    assertThat(btc.get("deliveryDate").asLong()).isEqualTo(4_133_404_800_000L);
    assertThat(btc.get("onboardDate").asLong()).isPositive();
    assertThat(btc.get("status").asText()).isEqualTo("TRADING");
    assertThat(btc.get("marginAsset").asText()).isEqualTo("USDT");
    assertThat(btc.get("pricePrecision").asInt()).isEqualTo(2);
    assertThat(btc.get("quantityPrecision").asInt()).isEqualTo(3);
    assertThat(btc.get("filters").get(0).get("tickSize").asText()).isEqualTo("0.01");
  }

  @Test
  void openInterestAndPremiumIndexReportWhatWasSet() throws Exception {
    binance.setOpenInterest("BTCUSDT", "83782.317");
    binance.setPremiumIndex("BTCUSDT", "0.00012345", 1_700_000_000_000L);

    JsonNode openInterest = getJson("/fapi/v1/openInterest?symbol=BTCUSDT");
    JsonNode one = getJson("/fapi/v1/premiumIndex?symbol=BTCUSDT");
    JsonNode all = getJson("/fapi/v1/premiumIndex");

    assertThat(openInterest.get("openInterest").asText()).isEqualTo("83782.317");
    assertThat(openInterest.get("symbol").asText()).isEqualTo("BTCUSDT");
    assertThat(openInterest.get("time").asLong()).isPositive();
    assertThat(one.fieldNames())
        .toIterable()
        .containsExactly(
            "symbol",
            "markPrice",
            "indexPrice",
            "estimatedSettlePrice",
            "lastFundingRate",
            "interestRate",
            "nextFundingTime",
            "time");
    assertThat(one.get("lastFundingRate").asText()).isEqualTo("0.00012345");
    assertThat(one.get("nextFundingTime").asLong()).isEqualTo(1_700_000_000_000L);
    assertThat(one.get("markPrice").asDouble()).isBetween(59_000.0, 61_000.0);
    assertThat(all.isArray()).isTrue();
    assertThat(all).hasSize(1);
    assertThat(all.get(0).get("symbol").asText()).isEqualTo("BTCUSDT");
  }

  @Test
  void usedWeightHeaderCountsUpWithEachRequest() throws Exception {
    long first = usedWeight(get("/api/v3/depth?symbol=BTCUSDT&limit=10"));
    long second = usedWeight(get("/api/v3/depth?symbol=BTCUSDT&limit=10"));

    assertThat(second - first).isEqualTo(5);
    assertThat(binance.restRequests("/api/v3/depth")).isEqualTo(2);
  }

  @Test
  void spotSubscriptionDeliversContiguousEventsThatRebuildTheBook() throws Exception {
    WebSocketTestClient client = connect("/ws");
    JsonNode reply = client.request(SUBSCRIBE_DEPTH_100MS);
    assertThat(reply.toString()).isEqualTo("{\"result\":null,\"id\":1}");
    binance.awaitSubscribed(SPOT, DEPTH_100MS, WAIT);
    JsonNode snapshot = getJson("/api/v3/depth?symbol=BTCUSDT&limit=1000");
    NavigableMap<Double, Double> bids = levels(snapshot.get("bids"));
    NavigableMap<Double, Double> asks = levels(snapshot.get("asks"));
    long previous = snapshot.get("lastUpdateId").asLong();

    List<DepthEvent> published = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      published.add(binance.publishDepth(SPOT, "BTCUSDT", 6));
    }
    for (DepthEvent expected : published) {
      JsonNode event = client.next();
      assertThat(event.get("e").asText()).isEqualTo("depthUpdate");
      assertThat(event.get("s").asText()).isEqualTo("BTCUSDT");
      assertThat(event.has("pu")).isFalse();
      assertThat(event.get("U").asLong()).isEqualTo(previous + 1);
      assertThat(event.get("u").asLong()).isBetween(previous + 1, previous + 5);
      assertThat(event.toString()).isEqualTo(expected.json());
      apply(bids, event.get("b"));
      apply(asks, event.get("a"));
      previous = event.get("u").asLong();
    }

    FakeBook book = binance.book(SPOT, "BTCUSDT");
    assertThat(previous).isEqualTo(book.lastUpdateId());
    assertThat(bids).isEqualTo(book.bids());
    assertThat(asks).isEqualTo(book.asks());
  }

  @Test
  void depthEventsChangeLevelsRemoveSomeAndAddNewOnes() {
    boolean removal = false;
    boolean addition = false;
    for (int i = 0; i < 50 && !(removal && addition); i++) {
      NavigableMap<Double, Double> before = binance.book(SPOT, "ETHUSDT").bids();
      DepthEvent event = binance.publishDepth(SPOT, "ETHUSDT", 8);
      for (String[] level : event.bids()) {
        removal |= level[1].equals("0.00000000");
        addition |= !before.containsKey(Double.parseDouble(level[0]));
      }
    }

    assertThat(removal).isTrue();
    assertThat(addition).isTrue();
    NavigableMap<Double, Double> bids = binance.book(SPOT, "ETHUSDT").bids();
    NavigableMap<Double, Double> asks = binance.book(SPOT, "ETHUSDT").asks();
    assertThat(bids.firstKey()).isLessThan(asks.firstKey());
    assertThat(bids.firstKey()).isBetween(2_900.0, 3_000.0);
  }

  @Test
  void futuresEventsAreLinkedByPreviousUpdateId() {
    WebSocketTestClient client = connect("/public/ws");
    client.request("{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@depth@100ms\"],\"id\":7}");
    binance.awaitSubscribed(FUTURE, DEPTH_100MS, WAIT);
    long previous = binance.book(FUTURE, "BTCUSDT").lastUpdateId();

    for (int i = 0; i < 10; i++) {
      binance.publishDepth(FUTURE, "BTCUSDT", 4);
    }
    for (int i = 0; i < 10; i++) {
      JsonNode event = client.next();
      assertThat(event.fieldNames())
          .toIterable()
          .containsExactly("e", "E", "T", "s", "U", "u", "pu", "b", "a");
      assertThat(event.get("pu").asLong()).isEqualTo(previous);
      assertThat(event.get("U").asLong()).isBetween(previous + 1, previous + 50);
      assertThat(event.get("u").asLong()).isGreaterThanOrEqualTo(event.get("U").asLong());
      previous = event.get("u").asLong();
    }
    assertThat(previous).isEqualTo(binance.book(FUTURE, "BTCUSDT").lastUpdateId());
  }

  @Test
  void combinedStreamWrapsEachPayloadWithItsStreamName() {
    WebSocketTestClient client =
        connect("/public/stream?streams=btcusdt@depth@100ms/btcusdt@depth@500ms");
    binance.awaitSubscribed(FUTURE, "btcusdt@depth@500ms", WAIT);

    DepthEvent event = binance.publishDepth(FUTURE, "BTCUSDT", 3);

    JsonNode first = client.next();
    JsonNode second = client.next();
    assertThat(first.fieldNames()).toIterable().containsExactly("stream", "data");
    assertThat(List.of(first.get("stream").asText(), second.get("stream").asText()))
        .containsExactlyInAnyOrder("btcusdt@depth@100ms", "btcusdt@depth@500ms");
    assertThat(first.get("data").toString()).isEqualTo(event.json());
    assertThat(second.get("data").toString()).isEqualTo(event.json());
  }

  @Test
  void rawStreamPathSubscribesWithoutARequest() {
    WebSocketTestClient client = connect("/ws/btcusdt@depth@100ms");
    binance.awaitSubscribed(SPOT, DEPTH_100MS, WAIT);

    DepthEvent event = binance.publishDepth(SPOT, "BTCUSDT", 2);

    assertThat(client.nextText()).isEqualTo(event.json());
    assertThat(binance.subscriptions(SPOT)).containsExactly(DEPTH_100MS);
    assertThat(binance.openConnections(SPOT)).isEqualTo(1);
    assertThat(binance.openConnections(FUTURE)).isZero();
  }

  @Test
  void droppedEventShowsAsASequenceBreakAndResendAsADuplicate() {
    WebSocketTestClient client = connect("/ws");
    client.request(SUBSCRIBE_DEPTH_100MS);
    binance.awaitSubscribed(SPOT, DEPTH_100MS, WAIT);

    DepthEvent before = binance.publishDepth(SPOT, "BTCUSDT", 2);
    DepthEvent dropped = binance.dropNextDepth(SPOT, "BTCUSDT", 2);
    DepthEvent after = binance.publishDepth(SPOT, "BTCUSDT", 2);
    binance.resendLastDepth(SPOT, "BTCUSDT");

    assertThat(dropped.firstUpdateId()).isEqualTo(before.lastUpdateId() + 1);
    assertThat(client.nextText()).isEqualTo(before.json());
    JsonNode next = client.next();
    assertThat(next.get("U").asLong())
        .isEqualTo(dropped.lastUpdateId() + 1)
        .isNotEqualTo(before.lastUpdateId() + 1);
    assertThat(client.nextText()).isEqualTo(after.json());
    assertThat(binance.book(SPOT, "BTCUSDT").lastUpdateId()).isEqualTo(after.lastUpdateId());
  }

  @Test
  void reorderedDepthEventsArriveSwapped() {
    WebSocketTestClient client = connect("/ws");
    client.request(SUBSCRIBE_DEPTH_100MS);
    binance.awaitSubscribed(SPOT, DEPTH_100MS, WAIT);

    binance.reorderNext(SPOT);
    DepthEvent first = binance.publishDepth(SPOT, "BTCUSDT", 2);
    DepthEvent second = binance.publishDepth(SPOT, "BTCUSDT", 2);

    assertThat(client.nextText()).isEqualTo(second.json());
    assertThat(client.nextText()).isEqualTo(first.json());
  }

  @Test
  void garbledDepthEventIsInvalidJsonAndTheNextArrivesIntact() {
    WebSocketTestClient client = connect("/public/ws");
    client.request("{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@depth@100ms\"],\"id\":1}");
    binance.awaitSubscribed(FUTURE, DEPTH_100MS, WAIT);

    binance.garbleNext(FUTURE, 1);
    DepthEvent garbled = binance.publishDepth(FUTURE, "BTCUSDT", 2);
    DepthEvent intact = binance.publishDepth(FUTURE, "BTCUSDT", 2);

    String text = client.nextText();
    assertThat(garbled.json()).startsWith(text).isNotEqualTo(text);
    assertThatThrownBy(() -> WebSocketTestClient.parse(text)).isInstanceOf(Exception.class);
    assertThat(client.nextText()).isEqualTo(intact.json());
  }

  @Test
  void stalledStreamsHoldEventsAndKeepTheConnectionOpen() {
    WebSocketTestClient client = connect("/ws");
    client.request(SUBSCRIBE_DEPTH_100MS);
    binance.awaitSubscribed(SPOT, DEPTH_100MS, WAIT);

    binance.stallStreams(Duration.ofMillis(600));
    DepthEvent held = binance.publishDepth(SPOT, "BTCUSDT", 2);

    assertThat(client.poll(Duration.ofMillis(300))).isNull();
    assertThat(binance.openConnections(SPOT)).isEqualTo(1);
    assertThat(client.nextText()).isEqualTo(held.json());
  }

  @Test
  void forceOrderIsDeliveredOnlyOnTheMarketRoute() {
    WebSocketTestClient market = connect("/market/ws");
    WebSocketTestClient all = connect("/market/stream?streams=!forceOrder@arr");
    WebSocketTestClient publicRoute = connect("/public/ws");
    market.request("{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@forceOrder\"],\"id\":1}");
    publicRoute.request(
        "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@forceOrder\",\"btcusdt@depth\"],\"id\":2}");
    binance.awaitSubscribed(FUTURE, "btcusdt@forceOrder", WAIT);
    binance.awaitSubscribed(FUTURE, "!forceOrder@arr", WAIT);

    binance.publishForceOrder("BTCUSDT", "SELL", "59000.10", "0.014", 1_700_000_000_123L);
    DepthEvent depth = binance.publishDepth(FUTURE, "BTCUSDT", 1);

    JsonNode liquidation = market.next();
    assertThat(liquidation.get("e").asText()).isEqualTo("forceOrder");
    JsonNode order = liquidation.get("o");
    assertThat(order.toString())
        .isEqualTo(
            "{\"s\":\"BTCUSDT\",\"S\":\"SELL\",\"o\":\"LIMIT\",\"f\":\"IOC\",\"q\":\"0.014\","
                + "\"p\":\"59000.10\",\"ap\":\"59000.10\",\"X\":\"FILLED\",\"l\":\"0.014\","
                + "\"z\":\"0.014\",\"T\":1700000000123}");
    JsonNode wrapped = all.next();
    assertThat(wrapped.get("stream").asText()).isEqualTo("!forceOrder@arr");
    assertThat(wrapped.get("data")).isEqualTo(liquidation);
    assertThat(publicRoute.nextText()).isEqualTo(depth.json());
    assertThat(market.pending()).isZero();
  }

  @Test
  void failedRequestsAnswer429WithRetryAfterThenRecover() throws Exception {
    binance.failNextRequests("/api/v3/depth", 2, 429, 7);

    HttpResponse<String> first = get("/api/v3/depth?symbol=BTCUSDT");
    HttpResponse<String> second = get("/api/v3/depth?symbol=BTCUSDT");
    HttpResponse<String> third = get("/api/v3/depth?symbol=BTCUSDT");

    for (HttpResponse<String> failed : List.of(first, second)) {
      assertThat(failed.statusCode()).isEqualTo(429);
      assertThat(failed.headers().firstValue("Retry-After")).contains("7");
      assertThat(WebSocketTestClient.parse(failed.body()).get("code").asInt()).isEqualTo(-1003);
    }
    assertThat(third.statusCode()).isEqualTo(200);
    assertThat(binance.restRequests("/api/v3/depth")).isEqualTo(3);
  }

  @Test
  void banAnswers418WithoutRetryAfterWhenNoneIsGiven() throws Exception {
    binance.failNextRequests("/fapi/v1/depth", 1, 418, null);

    HttpResponse<String> banned = get("/fapi/v1/depth?symbol=BTCUSDT");

    assertThat(banned.statusCode()).isEqualTo(418);
    assertThat(banned.headers().firstValue("Retry-After")).isEmpty();
    assertThat(banned.body()).contains("\"code\":-1003", "IP banned until");
  }

  @Test
  void disconnectAllClosesTheClientSocketWithoutACloseFrame() throws Exception {
    WebSocketTestClient spot = connect("/ws");
    WebSocketTestClient futures = connect("/public/ws");
    awaitConnections(SPOT, 1);

    binance.disconnectAll(SPOT);

    String ended = spot.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(ended).as("1006: closed without a close frame").matches("close 1006|error .*");
    awaitConnections(SPOT, 0);
    assertThat(futures.ended()).isNotDone();
    assertThat(binance.openConnections(FUTURE)).isEqualTo(1);
  }

  @Test
  void subscriptionRequestsAreListedAndUndone() {
    WebSocketTestClient client = connect("/ws");
    client.request(
        "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@depth@100ms\",\"ethusdt@depth\"],\"id\":1}");

    JsonNode listed = client.request("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":2}");
    JsonNode unsubscribed =
        client.request("{\"method\":\"UNSUBSCRIBE\",\"params\":[\"ethusdt@depth\"],\"id\":3}");
    JsonNode listedAgain = client.request("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":4}");

    assertThat(listed.toString())
        .isEqualTo("{\"result\":[\"btcusdt@depth@100ms\",\"ethusdt@depth\"],\"id\":2}");
    assertThat(unsubscribed.toString()).isEqualTo("{\"result\":null,\"id\":3}");
    assertThat(listedAgain.toString()).isEqualTo("{\"result\":[\"btcusdt@depth@100ms\"],\"id\":4}");
    assertThat(binance.subscriptions(SPOT)).containsExactly(DEPTH_100MS);
  }

  @Test
  void combinedPropertyCanBeReadAndSet() {
    WebSocketTestClient client = connect("/ws");
    client.request(SUBSCRIBE_DEPTH_100MS);

    JsonNode before =
        client.request("{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\"],\"id\":2}");
    client.request("{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",true],\"id\":3}");
    binance.awaitSubscribed(SPOT, DEPTH_100MS, WAIT);
    DepthEvent event = binance.publishDepth(SPOT, "BTCUSDT", 1);

    assertThat(before.toString()).isEqualTo("{\"result\":false,\"id\":2}");
    assertThat(client.nextText())
        .isEqualTo("{\"stream\":\"btcusdt@depth@100ms\",\"data\":" + event.json() + "}");
  }

  @Test
  void badRequestsGetBinanceErrorsAndTheSpotConnectionStaysOpen() {
    WebSocketTestClient client = connect("/ws");

    JsonNode invalidJson = client.request("{not json");
    JsonNode unknownMethod = client.request("{\"method\":\"FOO\",\"id\":5}");
    JsonNode noId = client.request("{\"method\":\"SUBSCRIBE\",\"params\":[]}");
    JsonNode badParams = client.request("{\"method\":\"SUBSCRIBE\",\"params\":[1],\"id\":6}");

    assertThat(invalidJson.get("error").get("code").asInt()).isEqualTo(3);
    assertThat(invalidJson.get("error").get("msg").asText()).startsWith("Invalid JSON");
    assertThat(unknownMethod.get("error").get("code").asInt()).isEqualTo(2);
    assertThat(unknownMethod.get("id").asInt()).isEqualTo(5);
    assertThat(noId.get("error").get("msg").asText())
        .isEqualTo("Invalid request: request ID must be an unsigned integer");
    assertThat(badParams.get("error").get("code").asInt()).isEqualTo(2);
    assertThat(client.request("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":9}").toString())
        .isEqualTo("{\"result\":[],\"id\":9}");
  }

  @Test
  void invalidJsonClosesAFuturesConnection() {
    WebSocketTestClient client = connect("/public/ws");

    JsonNode reply = client.request("nope");

    assertThat(reply.toString())
        .isEqualTo(
            "{\"error\":{\"code\":3,\"msg\":\"Invalid JSON: expected value at line 1 column 1\"}}");
    awaitConnections(FUTURE, 0);
  }

  @Test
  void sendRawDeliversTextVerbatimToTheRoute() {
    WebSocketTestClient spot = connect("/ws");
    WebSocketTestClient market = connect("/market/ws");
    WebSocketTestClient publicRoute = connect("/public/ws");
    awaitConnections(FUTURE, 2);

    binance.sendRaw(SPOT, "ws", "{\"e\":\"depthUpdate\",");
    binance.sendRaw(FUTURE, "market", "garbage");
    binance.sendRaw(FUTURE, "public", "other");

    assertThat(spot.nextText()).isEqualTo("{\"e\":\"depthUpdate\",");
    assertThat(market.nextText()).isEqualTo("garbage");
    assertThat(publicRoute.nextText()).isEqualTo("other");
    assertThatThrownBy(() -> binance.sendRaw(FUTURE, "ws", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid route for future: ws (expected public or market)");
  }

  @Test
  void serverPingsAndCountsPongs() {
    try (FakeBinance pinging = FakeBinance.start(Duration.ofMillis(50))) {
      WebSocketTestClient client = WebSocketTestClient.connect(pinging.wsBase() + "/public/ws");
      clients.add(client);
      await().atMost(WAIT).until(() -> pinging.pongsReceived(FUTURE) >= 2);

      assertThat(pinging.pongsReceived(FUTURE)).isGreaterThanOrEqualTo(2);
      assertThat(pinging.pongsReceived(SPOT)).isZero();
    }
  }

  @Test
  void awaitSubscribedFailsWhenNobodySubscribes() {
    assertThatThrownBy(() -> binance.awaitSubscribed(SPOT, DEPTH_100MS, Duration.ofMillis(50)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Cannot await subscription to btcusdt@depth@100ms on spot");
  }

  @Test
  void addingASymbolTwiceOrUsingAnUnknownOneFails() {
    assertThatThrownBy(() -> binance.addSymbol(SPOT, "BTCUSDT", "BTC", "USDT", 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot add symbol BTCUSDT: already listed on spot");
    assertThatThrownBy(() -> binance.publishDepth(FUTURE, "ETHUSDT", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid symbol: ETHUSDT (not listed on future)");
    assertThatThrownBy(() -> binance.resendLastDepth(SPOT, "ETHUSDT"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot resend depth of ETHUSDT on spot: none was sent yet");
  }

  @Test
  void booksAreSeededBySymbol() {
    try (FakeBinance other = FakeBinance.start()) {
      other.addSymbol(SPOT, "BTCUSDT", "BTC", "USDT", 200);

      assertThat(other.book(SPOT, "BTCUSDT").bids())
          .isEqualTo(binance.book(SPOT, "BTCUSDT").bids());
      assertThat(other.book(SPOT, "BTCUSDT").lastUpdateId())
          .isEqualTo(binance.book(SPOT, "BTCUSDT").lastUpdateId());
    }
  }

  @Test
  void eventsPublishedFromSeveralThreadsArriveInSequencePerSymbol() throws Exception {
    WebSocketTestClient client = connect("/stream?streams=btcusdt@depth@100ms/ethusdt@depth");
    binance.awaitSubscribed(SPOT, "ethusdt@depth", WAIT);
    Map<String, Long> previous = new TreeMap<>();
    previous.put("btcusdt@depth@100ms", binance.book(SPOT, "BTCUSDT").lastUpdateId());
    previous.put("ethusdt@depth", binance.book(SPOT, "ETHUSDT").lastUpdateId());
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (String symbol : List.of("BTCUSDT", "ETHUSDT", "BTCUSDT", "ETHUSDT")) {
      threads.add(new Thread(() -> publishAfter(go, symbol, 50)));
    }
    threads.forEach(Thread::start);
    go.countDown();
    for (Thread thread : threads) {
      thread.join(WAIT.toMillis());
    }

    for (int i = 0; i < 200; i++) {
      JsonNode message = client.next();
      String stream = message.get("stream").asText();
      assertThat(message.get("data").get("U").asLong()).isEqualTo(previous.get(stream) + 1);
      previous.put(stream, message.get("data").get("u").asLong());
    }
  }

  @Test
  void permessageDeflateIsNegotiatedWhenTheClientOffersIt() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", binance.port())) {
      socket.setSoTimeout((int) WAIT.toMillis());
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(
          ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                  + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      String handshake = readHeaders(in);
      assertThat(handshake).startsWith("HTTP/1.1 101").containsIgnoringCase("permessage-deflate");

      out.write(compressedTextFrame("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":1}"));
      out.flush();

      assertThat(readCompressedText(in)).isEqualTo("{\"result\":[],\"id\":1}");
    }
  }

  @Test
  void framesOfAMegabyteAreAccepted() {
    WebSocketTestClient client = connect("/ws");
    List<String> streams = new ArrayList<>();
    for (int i = 0; streams.size() * 30 < 1 << 20; i++) {
      streams.add(String.format("sym%022d@depth", i));
    }
    String request =
        "{\"method\":\"SUBSCRIBE\",\"params\":[\""
            + String.join("\",\"", streams)
            + "\"],\"id\":1}";

    assertThat(request.length()).isGreaterThan(1 << 20);
    assertThat(client.request(request).toString()).isEqualTo("{\"result\":null,\"id\":1}");
    assertThat(binance.subscriptions(SPOT)).hasSize(streams.size());
  }

  private void publishAfter(CountDownLatch go, String symbol, int count) {
    try {
      go.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    for (int i = 0; i < count; i++) {
      binance.publishDepth(SPOT, symbol, 2);
    }
  }

  private WebSocketTestClient connect(String path) {
    WebSocketTestClient client = WebSocketTestClient.connect(binance.wsBase() + path);
    clients.add(client);
    return client;
  }

  private void awaitConnections(MarketType market, int count) {
    await().atMost(WAIT).until(() -> binance.openConnections(market) == count);
    assertThat(binance.openConnections(market)).isEqualTo(count);
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(binance.httpBase() + pathAndQuery))
            .timeout(WAIT)
            .GET()
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode getJson(String pathAndQuery) throws Exception {
    HttpResponse<String> response = get(pathAndQuery);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return WebSocketTestClient.parse(response.body());
  }

  private static long usedWeight(HttpResponse<String> response) {
    return Long.parseLong(response.headers().firstValue("X-MBX-USED-WEIGHT-1M").orElseThrow());
  }

  private static NavigableMap<Double, Double> levels(JsonNode levels) {
    NavigableMap<Double, Double> map = new TreeMap<>();
    apply(map, levels);
    return map;
  }

  private static List<Double> prices(JsonNode levels) {
    List<Double> prices = new ArrayList<>();
    levels.forEach(level -> prices.add(Double.parseDouble(level.get(0).asText())));
    return prices;
  }

  private static void apply(NavigableMap<Double, Double> side, JsonNode levels) {
    for (JsonNode level : levels) {
      double price = Double.parseDouble(level.get(0).asText());
      double quantity = Double.parseDouble(level.get(1).asText());
      if (quantity == 0) {
        side.remove(price);
      } else {
        side.put(price, quantity);
      }
    }
  }

  private static NavigableMap<Double, Double> top(NavigableMap<Double, Double> side, int count) {
    NavigableMap<Double, Double> top = new TreeMap<>(side.comparator());
    for (Map.Entry<Double, Double> level : side.entrySet()) {
      if (top.size() == count) {
        break;
      }
      top.put(level.getKey(), level.getValue());
    }
    return top;
  }

  private static String readHeaders(InputStream in) throws IOException {
    ByteArrayOutputStream headers = new ByteArrayOutputStream();
    while (!headers.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      headers.write(b);
    }
    return headers.toString(StandardCharsets.US_ASCII);
  }

  /** A masked, final text frame with RSV1 set, its payload deflated as RFC 7692 says. */
  private static byte[] compressedTextFrame(String text) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
    byte[] buffer = new byte[1024];
    int length = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
    deflater.end();
    int payloadLength = length - 4; // without the 00 00 ff ff tail
    byte[] mask = {1, 2, 3, 4};
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0xC1);
    frame.write(0x80 | payloadLength);
    frame.write(mask, 0, 4);
    for (int i = 0; i < payloadLength; i++) {
      frame.write(buffer[i] ^ mask[i % 4]);
    }
    return frame.toByteArray();
  }

  private static String readCompressedText(InputStream in) throws IOException {
    int first = in.read();
    int length = in.read() & 0x7F;
    if (length == 126) {
      length = (in.read() << 8) | in.read();
    }
    byte[] payload = in.readNBytes(length);
    assertThat(first & 0x40).as("RSV1 (compressed)").isEqualTo(0x40);
    byte[] tail = {0, 0, (byte) 0xFF, (byte) 0xFF};
    Inflater inflater = new Inflater(true);
    inflater.setInput(concat(payload, tail));
    byte[] out = new byte[4096];
    try {
      int n = inflater.inflate(out);
      return new String(out, 0, n, StandardCharsets.UTF_8);
    } catch (DataFormatException e) {
      throw new IOException(e);
    } finally {
      inflater.end();
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
