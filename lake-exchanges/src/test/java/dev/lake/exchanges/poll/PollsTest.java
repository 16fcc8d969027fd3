package dev.lake.exchanges.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.model.MarketType;
import dev.lake.core.model.OpenInterest;
import dev.lake.core.model.StreamEventType;
import dev.lake.exchanges.CollectingSink;
import dev.lake.exchanges.MarketLedger;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.poll.Polls.Poll;
import dev.lake.exchanges.transport.LoopbackHttpServer;
import dev.lake.exchanges.transport.LoopbackHttpServer.Answer;
import dev.lake.exchanges.transport.RestClient;
import dev.lake.exchanges.transport.RestRequest;
import dev.lake.exchanges.transport.RestRules;
import dev.lake.exchanges.transport.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared poll schedule against a loopback HTTP server: skipped while in flight, staggered,
 * failures logged once and their recovery once, malformed answers and rate limits recorded.
 */
class PollsTest {
  private LoopbackHttpServer server;
  private Transport transport;
  private CollectingSink sink;
  private Polls polls;

  @BeforeEach
  void start() throws IOException {
    server = LoopbackHttpServer.start();
    transport = Transport.create(1);
    sink = new CollectingSink();
    MarketLedger ledger = new MarketLedger("bybit", MarketType.FUTURE, transport.clock(), sink);
    RestRules rules =
        RestRules.builder()
            .budget(600, Duration.ofSeconds(5))
            .errorCode("retCode", "0", "retMsg")
            .rateLimitCode("10006", Duration.ofMillis(300))
            .build();
    RestClient rest = new RestClient(transport, ledger.name(), rules, 0.8, ledger::rateLimited);
    polls = new Polls(ledger, rest, transport.scheduler());
  }

  @AfterEach
  void stop() {
    polls.close();
    transport.close();
    server.close();
  }

  private Poll openInterest(String path) {
    URI uri = server.uri(path);
    return new Poll(
        "openInterest BTCUSDT",
        RestRequest.get(uri, 1).about(OpenInterest.TABLE, "BTCUSDT"),
        response ->
            List.of(
                new OpenInterest(
                    "bybit", MarketType.FUTURE, "BTCUSDT", 1.0, 1, response.receivedMicros())));
  }

  @Test
  void aPollIsSkippedWhileItsPreviousRequestIsOut() throws InterruptedException {
    server.hold();
    polls.every(20, 0, openInterest("/v5/market/open-interest"));
    sink.await("a request", s -> !server.received().isEmpty());

    // the time is the behaviour: twenty poll intervals pass without a second request
    Thread.sleep(400);

    assertThat(server.received()).hasSize(1);
    server.release();
    sink.await("an answer", s -> !s.rows(OpenInterest.class).isEmpty());
  }

  @Test
  void pollsOfOneEndpointAreSpreadOverTheInterval() {
    List<Poll> each =
        List.of("A", "B", "C", "D").stream()
            .map(
                symbol ->
                    new Poll(
                        "openInterest " + symbol,
                        RestRequest.get(server.uri("/oi?symbol=" + symbol), 1),
                        response -> List.of()))
            .toList();

    polls.staggered(800, each);

    sink.await("four requests", s -> server.received().size() >= 4);
    List<LoopbackHttpServer.Received> first = server.received().subList(0, 4);
    assertThat(first.stream().map(LoopbackHttpServer.Received::pathAndQuery))
        .containsExactly("/oi?symbol=A", "/oi?symbol=B", "/oi?symbol=C", "/oi?symbol=D");
    for (int i = 1; i < 4; i++) {
      assertThat(first.get(i).atMillis() - first.get(i - 1).atMillis()).isBetween(120L, 400L);
    }
  }

  @Test
  void aFailingPollIsLoggedOnceThenOnceWhenItWorksAgain() {
    Answer failure = new Answer(503, Map.of(), "busy");
    server.plan(failure, failure, failure, failure);
    String logs =
        captureStandardError(
            () -> {
              polls.every(20, 0, openInterest("/v5/market/open-interest"));
              sink.await("an answer", s -> !s.rows(OpenInterest.class).isEmpty());
            });

    assertThat(logs.lines().filter(l -> l.contains("HTTP 503 for")))
        .singleElement()
        .asString()
        .contains("bybit future: HTTP 503 for " + server.uri("/v5/market/open-interest"))
        .contains("(logged once until it works again)");
    assertThat(logs.lines().filter(l -> l.contains("works again after")))
        .singleElement()
        .asString()
        .endsWith("bybit future openInterest BTCUSDT: works again after 4 failures");
  }

  @Test
  void aPollThatHasNotWorkedYetIsRetriedWithBackOffBeforeItsNextTurn() {
    Answer failure = new Answer(503, Map.of(), "busy");
    server.plan(failure, failure);

    polls.every(3_600_000, 0, openInterest("/v5/market/open-interest"));

    sink.await("an answer within the back-off", s -> !s.rows(OpenInterest.class).isEmpty());
    List<LoopbackHttpServer.Received> requests = server.received();
    assertThat(requests).hasSize(3);
    long firstWait = requests.get(1).atMillis() - requests.get(0).atMillis();
    long secondWait = requests.get(2).atMillis() - requests.get(1).atMillis();
    assertThat(firstWait).isBetween(Polls.FIRST_RETRY_MILLIS, 3 * Polls.FIRST_RETRY_MILLIS);
    assertThat(secondWait).isBetween(2 * Polls.FIRST_RETRY_MILLIS, 5 * Polls.FIRST_RETRY_MILLIS);
  }

  @Test
  void aPollThatWorkedOnceWaitsForItsNextTurnAfterAFailure() throws InterruptedException {
    Answer failure = new Answer(503, Map.of(), "busy");
    server.plan(Answer.ok("{}"), failure);
    polls.every(2_500, 0, openInterest("/v5/market/open-interest"));
    sink.await("two requests", s -> server.received().size() >= 2);

    // the time is the behaviour: a retry would come 1 s after the failure, the next turn after 2.5
    // s
    Thread.sleep(1_800);

    assertThat(server.received()).hasSize(2);
  }

  @Test
  void aMalformedAnswerIsARejectedMessageRowOfThePollsTableAndSymbol() {
    URI uri = server.uri("/v5/market/open-interest");
    polls.every(
        1000,
        0,
        new Poll(
            "openInterest BTCUSDT",
            RestRequest.get(uri, 1).about(OpenInterest.TABLE, "BTCUSDT"),
            response -> {
              throw new MessageException("missing openInterest");
            }));

    sink.await("a rejection", s -> !s.events(StreamEventType.REJECTED_MESSAGE).isEmpty());

    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE))
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.dataType()).isEqualTo("open_interest");
              assertThat(event.symbol()).isEqualTo("BTCUSDT");
              assertThat(event.detail()).isEqualTo("response of " + uri + ": missing openInterest");
            });
  }

  @Test
  void aRateLimitedPollIsOneRateLimitedRowAndThePollGoesOnAfterThePause() {
    server.plan(Answer.ok("{\"retCode\":10006,\"retMsg\":\"Too many visits!\"}"));

    polls.every(50, 0, openInterest("/v5/market/open-interest"));

    sink.await("an answer", s -> !s.rows(OpenInterest.class).isEmpty());
    assertThat(sink.events(StreamEventType.RATE_LIMITED))
        .singleElement()
        .satisfies(event -> assertThat(event.dataType()).isEqualTo("open_interest"));
  }

  private static String captureStandardError(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    original.print(text);
    return text;
  }

  private Polls.Paged pages(List<String> seen) {
    return new Polls.Paged(
        "instruments",
        RestRequest.get(server.uri("/list?page=1"), 1),
        response -> {
          String body = new String(response.body(), StandardCharsets.UTF_8);
          seen.add(body);
          int page = seen.size();
          return body.contains("\"next\":\"\"")
              ? null
              : RestRequest.get(server.uri("/list?page=" + (page + 1)), 1);
        },
        responses ->
            List.of(
                new OpenInterest(
                    "bybit",
                    MarketType.FUTURE,
                    "PAGES",
                    responses.size(),
                    1,
                    responses.get(0).receivedMicros())));
  }

  @Test
  void aPagedPollAsksForEveryPageInTurnAndMakesItsRowsFromAllOfThem() {
    server.plan(
        Answer.ok("{\"retCode\":0,\"next\":\"b\"}"),
        Answer.ok("{\"retCode\":0,\"next\":\"c\"}"),
        Answer.ok("{\"retCode\":0,\"next\":\"\"}"));
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    polls.every(60_000, 0, pages(seen));
    sink.await("the rows of all pages", s -> !s.rows(OpenInterest.class).isEmpty());

    assertThat(server.received())
        .extracting(LoopbackHttpServer.Received::pathAndQuery)
        .containsExactly("/list?page=1", "/list?page=2", "/list?page=3");
    assertThat(sink.rows(OpenInterest.class))
        .singleElement()
        .extracting(OpenInterest::openInterest)
        .isEqualTo(3.0);
  }
}
