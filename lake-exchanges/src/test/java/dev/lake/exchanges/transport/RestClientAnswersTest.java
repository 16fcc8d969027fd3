package dev.lake.exchanges.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.lake.core.model.MarketType;
import dev.lake.core.model.StreamEvent;
import dev.lake.core.model.StreamEventType;
import dev.lake.exchanges.CollectingSink;
import dev.lake.exchanges.MarketLedger;
import dev.lake.exchanges.transport.LoopbackHttpServer.Answer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The REST client against a loopback HTTP server answering as each venue does: POST with headers,
 * errors inside an HTTP 200, and every venue's rate-limit answer, declared by {@link RestRules}.
 */
class RestClientAnswersTest {
  private LoopbackHttpServer server;
  private Transport transport;
  private CollectingSink sink;

  @BeforeEach
  void start() throws IOException {
    server = LoopbackHttpServer.start();
    transport = Transport.create(1);
    sink = new CollectingSink();
  }

  @AfterEach
  void stop() {
    transport.close();
    server.close();
  }

  private RestClient client(String venue, RestRules rules) {
    MarketLedger ledger = new MarketLedger(venue, MarketType.FUTURE, transport.clock(), sink);
    return new RestClient(transport, venue + " future", rules, 0.8, ledger::rateLimited);
  }

  private static Throwable failureOf(java.util.concurrent.CompletableFuture<?> future) {
    Throwable thrown = catchThrowable(future::join);
    return thrown instanceof CompletionException ? thrown.getCause() : thrown;
  }

  private static RestRules bybit() {
    return RestRules.builder()
        .budget(600, Duration.ofSeconds(5))
        .errorCode("retCode", "0", "retMsg")
        .rateLimitCode("10006", Duration.ofMillis(600))
        .pauseHeader("X-Bapi-Limit-Reset-Timestamp", RestRules.PauseUnit.EPOCH_MILLISECONDS)
        .build();
  }

  private static RestRules kraken() {
    return RestRules.builder()
        .budget(60, Duration.ofMinutes(1))
        .errorList("error")
        .rateLimitMessage("EAPI:Rate limit exceeded", Duration.ofMillis(600))
        .build();
  }

  @Test
  void aPostCarriesItsHeadersAndBodyToTheVenue() {
    RestClient client =
        client("kucoin", RestRules.builder().budget(2000, Duration.ofSeconds(30)).build());
    RestRequest request =
        RestRequest.post(server.uri("/api/v1/bullet-public"), "{\"a\":1}", 10)
            .withHeader("KC-API-KEY-VERSION", "2");

    client.send(request).join();

    assertThat(server.received())
        .singleElement()
        .satisfies(
            received -> {
              assertThat(received.method()).isEqualTo("POST");
              assertThat(received.pathAndQuery()).isEqualTo("/api/v1/bullet-public");
              assertThat(received.body()).isEqualTo("{\"a\":1}");
              assertThat(received.header("KC-API-KEY-VERSION")).isEqualTo("2");
              assertThat(received.header("Content-Type")).isEqualTo("application/json");
            });
  }

  @Test
  void theVenuesSignerSignsEachRequestAsItGoesOut() {
    RestRules rules =
        RestRules.builder()
            .budget(100, Duration.ofSeconds(1))
            .signer((request, now) -> request.withHeader("CB-ACCESS-SIGN", request.uri().getPath()))
            .build();

    client("coinbase", rules).get(server.uri("/api/v1/instruments"), 1).join();

    assertThat(server.received().get(0).header("CB-ACCESS-SIGN")).isEqualTo("/api/v1/instruments");
  }

  @Test
  void a200CarryingTheVenuesErrorCodeFailsWithTheVenuesMessage() {
    server.plan(Answer.ok("{\"retCode\":10001,\"retMsg\":\"params error\",\"result\":{}}"));
    URI uri = server.uri("/v5/market/orderbook?category=linear&symbol=BTCUSDT");

    Throwable failure = failureOf(client("bybit", bybit()).get(uri, 1));

    assertThat(failure)
        .isInstanceOf(RestException.class)
        .hasMessage("Cannot GET " + uri + ": bybit future answered retCode 10001: params error");
  }

  @Test
  void a200CarryingTheVenuesErrorListFailsWithItsMessages() {
    server.plan(Answer.ok("{\"error\":[\"EQuery:Unknown asset pair\"],\"result\":{}}"));
    URI uri = server.uri("/0/public/Depth?pair=XBTUSD");

    Throwable failure = failureOf(client("kraken", kraken()).get(uri, 1));

    assertThat(failure)
        .isInstanceOf(RestException.class)
        .hasMessage(
            "Cannot GET " + uri + ": kraken future answered error: EQuery:Unknown asset pair");
  }

  @Test
  void a200WhoseCodeSaysSuccessIsAnAnswer() {
    String body = "{\"retCode\":0,\"retMsg\":\"OK\",\"result\":{\"list\":[]}}";
    server.plan(Answer.ok(body));

    RestResponse response =
        client("bybit", bybit()).get(server.uri("/v5/market/tickers"), 1).join();

    assertThat(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(body);
  }

  /** Each venue's rate-limit answer, the rules that recognise it, and the pause it asks for. */
  static Stream<Arguments> rateLimits() {
    return Stream.of(
        Arguments.of(
            "binance",
            RestRules.builder()
                .budget(2400, Duration.ofMinutes(1))
                .rateLimitStatus(429, Duration.ofSeconds(60))
                .rateLimitStatus(418, Duration.ofSeconds(120))
                .pauseHeader("Retry-After", RestRules.PauseUnit.SECONDS)
                .build(),
            new Answer(
                429, Map.of("Retry-After", "1"), "{\"code\":-1003,\"msg\":\"Too many requests\"}"),
            "HTTP 429",
            1000L),
        Arguments.of(
            "bybit",
            bybit(),
            Answer.ok("{\"retCode\":10006,\"retMsg\":\"Too many visits!\",\"result\":{}}"),
            "HTTP 200, retCode 10006: Too many visits!",
            600L),
        Arguments.of(
            "okx",
            RestRules.builder()
                .budgetPerEndpoint(20, Duration.ofSeconds(2))
                .errorCode("code", "0", "msg")
                .rateLimitCode("50011", Duration.ofMillis(700))
                .build(),
            new Answer(
                429, Map.of(), "{\"code\":\"50011\",\"msg\":\"Too Many Requests\",\"data\":[]}"),
            "HTTP 429, code 50011: Too Many Requests",
            700L),
        Arguments.of(
            "kucoin",
            RestRules.builder()
                .budget(2000, Duration.ofSeconds(30))
                .errorCode("code", "200000", "msg")
                .rateLimitCode("429000", Duration.ofSeconds(30))
                .pauseHeader("gw-ratelimit-reset", RestRules.PauseUnit.MILLISECONDS)
                .build(),
            new Answer(
                429,
                Map.of("gw-ratelimit-reset", "800"),
                "{\"code\":\"429000\",\"msg\":\"Too Many Requests\"}"),
            "HTTP 429, code 429000: Too Many Requests",
            800L),
        Arguments.of(
            "kraken",
            kraken(),
            Answer.ok("{\"error\":[\"EAPI:Rate limit exceeded\"]}"),
            "HTTP 200, error: EAPI:Rate limit exceeded",
            600L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rateLimits")
  void aRateLimitAnswerPausesEveryRequestToTheVenueForTheTimeItGives(
      String venue, RestRules rules, Answer answer, String reason, long pauseMillis) {
    RestClient client = client(venue, rules);
    server.plan(answer);
    Throwable failure = failureOf(client.get(server.uri("/limited"), 1));
    long limitedAt = System.currentTimeMillis();

    client.get(server.uri("/other"), 1).join();

    assertThat(failure).isInstanceOf(RestException.class);
    assertThat(((RestException) failure).rateLimited()).isTrue();
    assertThat(server.received().get(1).atMillis() - limitedAt)
        .isGreaterThanOrEqualTo(pauseMillis - 50);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rateLimits")
  void aRateLimitAnswerIsOneRateLimitedRowOfWhatTheRequestCollected(
      String venue, RestRules rules, Answer answer, String reason, long pauseMillis) {
    server.plan(answer);
    URI uri = server.uri("/book?symbol=BTCUSDT");

    failureOf(
        client(venue, rules).send(RestRequest.get(uri, 1).about("orderbook_snapshot", "BTCUSDT")));

    assertThat(sink.events(StreamEventType.RATE_LIMITED))
        .singleElement()
        .satisfies(
            (StreamEvent event) -> {
              assertThat(event.exchange()).isEqualTo(venue);
              assertThat(event.dataType()).isEqualTo("orderbook_snapshot");
              assertThat(event.symbol()).isEqualTo("BTCUSDT");
              assertThat(event.detail())
                  .isEqualTo(
                      reason + " for " + uri + ": requests paused for " + pauseMillis + " ms");
            });
  }
}
