package dev.lake.testing.venue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeExchangeServerTest {
  private static final Duration WAIT = WebSocketTestClient.WAIT;
  private static final Duration QUIET = Duration.ofMillis(200);

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<WebSocketTestClient> clients = new ArrayList<>();
  private FakeExchangeServer server;

  /** A venue's per-connection state: numbers the client's messages and echoes them. */
  private static final class CountingSession implements WebSocketSession {
    private int received;

    @Override
    public void received(WebSocketConnection connection, String text) {
      received++;
      connection.send("{\"n\":" + received + ",\"echo\":\"" + text + "\"}");
    }
  }

  /**
   * Answers every client message with {@code answer to <message>}, but only once the test opens the
   * gate: the connection's event loop waits inside the handler meanwhile, so whatever the test does
   * then happens before the answer is sent.
   */
  private static final class GatedSession implements WebSocketSession {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch gate = new CountDownLatch(1);

    @Override
    public void received(WebSocketConnection connection, String text) {
      entered.countDown();
      try {
        if (!gate.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException("Cannot answer " + text + ": the gate stayed closed");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Cannot answer " + text + ": interrupted", e);
      }
      connection.send("answer to " + text);
    }

    /** Waits until the event loop is inside the handler, waiting for the gate. */
    void awaitEntered() throws InterruptedException {
      assertThat(entered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .as("the request reached the handler")
          .isTrue();
    }

    void open() {
      gate.countDown();
    }
  }

  @BeforeEach
  void start() {
    server =
        FakeExchangeServer.builder("Test")
            .route(
                "GET",
                "/echo",
                request ->
                    Answer.ok(
                        "{\"symbol\":\""
                            + request.parameter("symbol").orElse("")
                            + "\",\"key\":\""
                            + request.header("X-Key").orElse("")
                            + "\"}"))
            .route(
                "POST",
                "/orders/{id}",
                request ->
                    Answer.json(201, "{\"id\":\"" + request.pathParameters().get("id") + "\"}")
                        .withHeader("X-Body", request.body()))
            .webSocket(
                "feed",
                upgrade ->
                    upgrade.path().equals("/feed")
                        ? Optional.of(new CountingSession())
                        : Optional.empty())
            .webSocket(
                "gated",
                upgrade ->
                    upgrade.path().equals("/gated")
                        ? Optional.of(new GatedSession())
                        : Optional.empty())
            .start();
  }

  @AfterEach
  void stop() {
    clients.forEach(WebSocketTestClient::close);
    server.close();
  }

  @Test
  void aRestRouteSeesTheQueryAndTheHeaders() throws Exception {
    HttpResponse<String> response =
        send(HttpRequest.newBuilder(uri("/echo?symbol=BTC%2DUSDT")).header("X-Key", "k1").GET());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains(Answer.JSON);
    assertThat(response.body()).isEqualTo("{\"symbol\":\"BTC-USDT\",\"key\":\"k1\"}");
  }

  @Test
  void aPostRouteGetsTheJsonBodyAndThePathSegment() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(uri("/orders/42"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")));

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.body()).isEqualTo("{\"id\":\"42\"}");
    assertThat(response.headers().firstValue("X-Body")).contains("{\"a\":1}");
    assertThat(server.requests("/orders/42"))
        .singleElement()
        .extracting(Request::method)
        .isEqualTo("POST");
  }

  @Test
  void aRequestNoRouteMatchesGetsTheFallbackAnswer() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/echo")).DELETE());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("{\"error\":\"no route for DELETE /echo\"}");
  }

  @Test
  void scriptedFailuresAnswer429WithRetryAfterForTheNextRequestsOnly() throws Exception {
    server.failNext("/echo", 2, 429, 7);

    List<HttpResponse<String>> responses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      responses.add(send(HttpRequest.newBuilder(uri("/echo?symbol=X")).GET()));
    }

    assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(429, 429, 200);
    assertThat(responses.get(0).headers().firstValue("Retry-After")).contains("7");
    assertThat(responses.get(0).body()).isEqualTo("{\"error\":\"scripted failure 429\"}");
    assertThat(responses.get(2).headers().firstValue("Retry-After")).isEmpty();
    assertThat(server.requests("/echo")).hasSize(3);
  }

  @Test
  void aScriptedFailureWithoutRetryAfterSendsNoRetryAfterHeader() throws Exception {
    server.failNext("/echo", 1, 503, null);

    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/echo")).GET());

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).isEmpty();
  }

  @Test
  void aFailureStatusOutsideTheErrorRangeIsRefused() {
    assertThatThrownBy(() -> server.failNext("/echo", 1, 200, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid error status: 200 (expected 400-599)");
  }

  @Test
  void eachConnectionKeepsItsOwnSessionState() {
    WebSocketTestClient first = connect();
    WebSocketTestClient second = connect();

    first.request("a");
    JsonNode firstAgain = first.request("b");
    JsonNode secondReply = second.request("c");

    assertThat(firstAgain.toString()).isEqualTo("{\"n\":2,\"echo\":\"b\"}");
    assertThat(secondReply.toString()).isEqualTo("{\"n\":1,\"echo\":\"c\"}");
  }

  @Test
  void droppedMessagesNeverArrive() {
    WebSocketTestClient client = connect();
    WebSocketConnection connection = onlyConnection();

    connection.send("m1");
    connection.dropNext(2);
    sendAll(connection, "m2", "m3", "m4");

    assertThat(client.nextText()).isEqualTo("m1");
    assertThat(client.nextText()).isEqualTo("m4");
    assertThat(client.poll(QUIET)).isNull();
  }

  @Test
  void duplicatedMessagesArriveTwiceInARow() {
    WebSocketTestClient client = connect();
    WebSocketConnection connection = onlyConnection();

    connection.duplicateNext(1);
    sendAll(connection, "m1", "m2");

    assertThat(List.of(client.nextText(), client.nextText(), client.nextText()))
        .containsExactly("m1", "m1", "m2");
  }

  @Test
  void garbledMessagesAreInvalidJsonAndTheNextOnesIntact() {
    WebSocketTestClient client = connect();
    WebSocketConnection connection = onlyConnection();

    connection.garbleNext(1);
    sendAll(connection, "{\"u\":1,\"b\":[]}", "{\"u\":2}");

    String garbled = client.nextText();
    assertThat(garbled).isEqualTo("{\"u\":1,");
    assertThatThrownBy(() -> WebSocketTestClient.parse(garbled)).isInstanceOf(Exception.class);
    assertThat(client.next().get("u").asInt()).isEqualTo(2);
  }

  @Test
  void reorderedMessagesArriveSwapped() {
    WebSocketTestClient client = connect();
    WebSocketConnection connection = onlyConnection();

    connection.reorderNext();
    sendAll(connection, "m1", "m2", "m3");

    assertThat(List.of(client.nextText(), client.nextText(), client.nextText()))
        .containsExactly("m2", "m1", "m3");
  }

  @Test
  void aMessageSentFromAnotherThreadArrivesBeforeAnAnswerTheEventLoopSendsAfterIt()
      throws Exception {
    WebSocketTestClient client = connectGated();
    WebSocketConnection connection = server.connections("gated").get(0);
    GatedSession session = (GatedSession) connection.session();
    client.send("subscribe");
    session.awaitEntered();

    connection.send("update");
    session.open();

    assertThat(List.of(client.nextText(), client.nextText()))
        .containsExactly("update", "answer to subscribe");
  }

  @Test
  void aFaultScriptedFromAnotherThreadAppliesToAnAnswerTheEventLoopSendsAfterIt() throws Exception {
    WebSocketTestClient client = connectGated();
    WebSocketConnection connection = server.connections("gated").get(0);
    GatedSession session = (GatedSession) connection.session();
    client.send("subscribe");
    session.awaitEntered();

    connection.dropNext(1);
    session.open();
    client.send("again");

    assertThat(client.nextText()).isEqualTo("answer to again");
  }

  @Test
  void disconnectClosesTheTcpConnectionWithoutACloseFrame() throws Exception {
    WebSocketTestClient client = connect();
    WebSocketConnection connection = onlyConnection();

    connection.disconnect();

    String ended = client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(ended).as("1006: closed without a close frame").matches("close 1006|error .*");
    FakeExchangeServer.await(
        () -> server.connections("feed").isEmpty(), WAIT, "no connection", server::connections);
  }

  @Test
  void closeSendsACloseFrameWithItsCode() throws Exception {
    WebSocketTestClient client = connect();

    onlyConnection().close(1001, "going away");

    assertThat(client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("close 1001");
  }

  @Test
  void aStalledConnectionStaysOpenAndSendsWhatWasHeldWhenTheStallEnds() {
    WebSocketTestClient client = connect();
    WebSocketConnection connection = onlyConnection();
    Duration stall = Duration.ofMillis(600);

    long started = System.nanoTime();
    connection.stall(stall);
    sendAll(connection, "m1", "m2");

    assertThat(client.poll(Duration.ofMillis(300))).isNull();
    assertThat(client.ended()).isNotDone();
    assertThat(connection.isOpen()).isTrue();
    assertThat(client.nextText()).isEqualTo("m1");
    assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(stall.toNanos());
    assertThat(client.nextText()).isEqualTo("m2");
  }

  @Test
  void faultsApplyOnlyToTheConnectionTheyAreScriptedOn() {
    WebSocketTestClient faulty = connect();
    WebSocketTestClient healthy = connect();
    List<WebSocketConnection> connections = server.connections("feed");

    connections.get(0).dropNext(1);
    connections.forEach(connection -> connection.send("m1"));

    List<String> received = new ArrayList<>();
    for (WebSocketTestClient client : List.of(faulty, healthy)) {
      received.add(String.valueOf(client.poll(QUIET)));
    }
    assertThat(received).containsExactlyInAnyOrder("null", "m1");
  }

  @Test
  void serverPingsAreAnsweredByTheClientAndCounted() {
    try (FakeExchangeServer pinging =
        FakeExchangeServer.builder("Pinging")
            .webSocket("feed", upgrade -> Optional.of(new CountingSession()))
            .pingEvery(Duration.ofMillis(50))
            .start()) {
      clients.add(WebSocketTestClient.connect(pinging.wsBase() + "/any"));
      FakeExchangeServer.await(
          () -> pinging.connections().stream().anyMatch(c -> c.pongs() >= 2),
          WAIT,
          "two pongs",
          pinging::connections);

      assertThat(pinging.connections())
          .singleElement()
          .extracting(WebSocketConnection::endpoint)
          .isEqualTo("feed");
    }
  }

  @Test
  void anUpgradeNoEndpointAcceptsIsAnsweredAsRest() {
    assertThatThrownBy(() -> WebSocketTestClient.connect(server.wsBase() + "/nothing"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot connect to " + server.wsBase() + "/nothing");
    assertThat(server.requests("/nothing")).hasSize(1);
  }

  @Test
  void aFaultCountBelowOneIsRefused() {
    connect();

    assertThatThrownBy(() -> onlyConnection().dropNext(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid message count: 0 (expected 1 or more)");
  }

  private WebSocketTestClient connect() {
    WebSocketTestClient client = WebSocketTestClient.connect(server.wsBase() + "/feed");
    clients.add(client);
    int expected = clients.size();
    FakeExchangeServer.await(
        () -> server.connections("feed").size() == expected,
        WAIT,
        expected + " connections",
        server::connections);
    return client;
  }

  private WebSocketTestClient connectGated() {
    WebSocketTestClient client = WebSocketTestClient.connect(server.wsBase() + "/gated");
    clients.add(client);
    FakeExchangeServer.await(
        () -> server.connections("gated").size() == 1,
        WAIT,
        "a gated connection",
        server::connections);
    return client;
  }

  private WebSocketConnection onlyConnection() {
    assertThat(server.connections("feed")).hasSize(1);
    return server.connections("feed").get(0);
  }

  private static void sendAll(WebSocketConnection connection, String... texts) {
    for (String text : texts) {
      connection.send(text);
    }
  }

  private URI uri(String pathAndQuery) {
    return URI.create(server.httpBase() + pathAndQuery);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
  }
}
