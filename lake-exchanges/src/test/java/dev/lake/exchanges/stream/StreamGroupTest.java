package dev.lake.exchanges.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.StreamEventType;
import dev.lake.exchanges.CollectingSink;
import dev.lake.exchanges.book.StreamEvents;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.transport.Transport;
import dev.lake.exchanges.transport.WebSocketSession;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stream layer's limits and steps, against a scripted WebSocket server on loopback. */
class StreamGroupTest {
  private ScriptedServer server;
  private Transport transport;
  private CollectingSink sink;
  private StreamCounters counters;
  private StreamGroup<Recorder> group;

  @BeforeEach
  void start() throws InterruptedException {
    server = new ScriptedServer();
    transport = Transport.create(2);
    sink = new CollectingSink();
    counters = StreamCounters.create();
  }

  @AfterEach
  void stop() {
    if (group != null) {
      group.close();
    }
    transport.close();
    server.close();
  }

  /** A venue of the test: {@code sub:a,b} and {@code unsub:a} frames, limits as given. */
  private static class TestProtocol implements StreamProtocol {
    final URI url;
    final int perConnection;
    final int perRequest;
    Duration spacing = Duration.ZERO;
    Keepalive keepalive;

    TestProtocol(URI url, int perConnection, int perRequest) {
      this.url = url;
      this.perConnection = perConnection;
      this.perRequest = perRequest;
    }

    @Override
    public URI url() {
      return url;
    }

    @Override
    public WebSocketSession.Options options() {
      return WebSocketSession.Options.defaults("test")
          .withBackoff(Duration.ofMillis(20), Duration.ofMillis(50));
    }

    @Override
    public int topicsPerConnection() {
      return perConnection;
    }

    @Override
    public int topicsPerRequest() {
      return perRequest;
    }

    @Override
    public Duration requestSpacing() {
      return spacing;
    }

    @Override
    public Keepalive keepalive() {
      return keepalive;
    }

    @Override
    public boolean isKeepaliveReply(Frame frame) {
      return frame.is("pong");
    }

    @Override
    public String subscribe(List<String> topics, long requestId) {
      return "sub:" + String.join(",", topics);
    }

    @Override
    public String unsubscribe(List<String> topics, long requestId) {
      return "unsub:" + String.join(",", topics);
    }
  }

  /** Records the connections frames came on; rejects every frame (none is expected but pongs). */
  private static final class Recorder implements StreamGroup.Handler {
    final List<String> connections = new CopyOnWriteArrayList<>();

    @Override
    public void onFrame(Frame frame, List<LakeRow> rows) {
      connections.add(frame.connectionId());
      throw new MessageException("unexpected frame");
    }
  }

  private StreamGroup<Recorder> group(StreamProtocol protocol) {
    group =
        new StreamGroup<>(
            transport,
            protocol,
            new StreamEvents("test", MarketType.SPOT, "trades"),
            sink,
            counters,
            share -> new Recorder());
    return group;
  }

  private static List<String> topics(int count) {
    List<String> topics = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      topics.add("t" + i);
    }
    return topics;
  }

  private List<String> subscribed(String prefix) {
    return server.starting(prefix).stream()
        .flatMap(r -> Arrays.stream(r.text().substring(prefix.length()).split(",")))
        .toList();
  }

  @Test
  void topicsAreSpreadOverAsManyConnectionsAsTheLimitNeedsInRequestsOfTheVenuesSize() {
    group(new TestProtocol(server.url(), 5, 2)).add(topics(12));
    CollectingSink.awaitTrue(
        "12 topics subscribed", () -> subscribed("sub:").size() == 12, Duration.ofSeconds(10));

    assertThat(server.connections).hasSize(3);
    assertThat(subscribed("sub:")).containsExactlyInAnyOrderElementsOf(topics(12));
    assertThat(server.starting("sub:"))
        .allSatisfy(r -> assertThat(r.text().substring(4).split(",")).hasSizeLessThanOrEqualTo(2));
    assertThat(
            server.starting("sub:").stream()
                .collect(
                    java.util.stream.Collectors.groupingBy(
                        ScriptedServer.Received::connection,
                        java.util.stream.Collectors.mapping(
                            ScriptedServer.Received::text, java.util.stream.Collectors.toList())))
                .values())
        .containsExactlyInAnyOrder(
            List.of("sub:t0,t1", "sub:t2,t3", "sub:t4"),
            List.of("sub:t5,t6", "sub:t7,t8", "sub:t9"),
            List.of("sub:t10,t11"));
  }

  @Test
  void requestsOnOneConnectionAreSpacedByTheVenuesSpacing() {
    TestProtocol protocol = new TestProtocol(server.url(), 10, 1);
    protocol.spacing = Duration.ofMillis(200);
    group(protocol).add(topics(4));
    CollectingSink.awaitTrue(
        "4 requests", () -> server.starting("sub:").size() == 4, Duration.ofSeconds(10));

    List<ScriptedServer.Received> requests = server.starting("sub:");
    for (int i = 1; i < requests.size(); i++) {
      assertThat(requests.get(i).atMillis() - requests.get(i - 1).atMillis())
          .as("time between request %s and %s", i - 1, i)
          .isGreaterThanOrEqualTo(180);
    }
  }

  @Test
  void topicsAddedLaterFillTheLastConnectionBeforeANewOneIsOpened() {
    StreamGroup<Recorder> streams = group(new TestProtocol(server.url(), 5, 10));
    streams.add(topics(3));
    CollectingSink.awaitTrue(
        "first topics", () -> subscribed("sub:").size() == 3, Duration.ofSeconds(10));
    streams.add(List.of("t0", "late1", "late2", "late3"));
    CollectingSink.awaitTrue(
        "late topics", () -> subscribed("sub:").size() == 6, Duration.ofSeconds(10));

    // which connection each request went to is the point; requests on two connections may reach
    // the server in either order: each connection sends from its own event loop task
    assertThat(server.starting("sub:"))
        .extracting(ScriptedServer.Received::text, ScriptedServer.Received::connection)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("sub:t0,t1,t2", 0),
            org.assertj.core.groups.Tuple.tuple("sub:late1,late2", 0),
            org.assertj.core.groups.Tuple.tuple("sub:late3", 1));
  }

  @Test
  void resubscribingATopicUnsubscribesAndSubscribesThatTopicAlone() {
    StreamGroup<Recorder> streams = group(new TestProtocol(server.url(), 5, 10));
    streams.add(topics(3));
    CollectingSink.awaitTrue(
        "subscribed", () -> subscribed("sub:").size() == 3, Duration.ofSeconds(10));
    streams.resubscribe("t1");
    CollectingSink.awaitTrue(
        "resubscribed", () -> server.received.size() == 3, Duration.ofSeconds(10));

    assertThat(server.received)
        .extracting(ScriptedServer.Received::text)
        .containsExactly("sub:t0,t1,t2", "unsub:t1", "sub:t1");
  }

  @Test
  void theConnectStepRunsBeforeEveryConnectAndItsFailureIsAFailedAttemptRetried() {
    AtomicInteger steps = new AtomicInteger();
    TestProtocol protocol =
        new TestProtocol(server.url(), 5, 10) {
          @Override
          public CompletionStage<URI> connectStep() {
            if (steps.incrementAndGet() == 1) {
              return CompletableFuture.failedFuture(
                  new IllegalStateException("token endpoint answered 500"));
            }
            return CompletableFuture.supplyAsync(() -> server.url());
          }
        };
    group(protocol).add(topics(1));
    CollectingSink.awaitTrue(
        "subscribed", () -> subscribed("sub:").size() == 1, Duration.ofSeconds(10));
    server.dropAll();
    CollectingSink.awaitTrue(
        "subscribed again", () -> subscribed("sub:").size() == 2, Duration.ofSeconds(10));

    assertThat(steps.get()).as("a failed step, then one per connect").isEqualTo(3);
    assertThat(group.failedConnections()).isEqualTo(1);
    assertThat(sink.events(StreamEventType.CONNECT)).hasSize(2);
  }

  @Test
  void clientKeepalivesAreSentOnScheduleAndTheirRepliesAreNotRejected() {
    TestProtocol protocol = new TestProtocol(server.url(), 5, 10);
    protocol.keepalive = StreamProtocol.Keepalive.text(Duration.ofMillis(100), "ping");
    group(protocol).add(topics(1));
    CollectingSink.awaitTrue(
        "subscribed", () -> subscribed("sub:").size() == 1, Duration.ofSeconds(10));
    long start = System.currentTimeMillis();
    CollectingSink.awaitTrue(
        "5 keepalives", () -> server.starting("ping").size() >= 5, Duration.ofSeconds(10));
    long elapsed = System.currentTimeMillis() - start;

    assertThat(elapsed).as("5 pings at 100 ms").isBetween(300L, 1500L);
    assertThat(counters.messages().get()).isGreaterThanOrEqualTo(4);
    assertThat(counters.rejected().get()).isZero();
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE)).isEmpty();
  }

  @Test
  void framesNameTheConnectionTheyCameOn() {
    group(new TestProtocol(server.url(), 1, 10)).add(topics(2));
    CollectingSink.awaitTrue(
        "subscribed", () -> subscribed("sub:").size() == 2, Duration.ofSeconds(10));
    server.sendAll("data");
    CollectingSink.awaitTrue(
        "two frames rejected", () -> counters.rejected().get() == 2, Duration.ofSeconds(10));

    assertThat(group.handlers())
        .flatExtracting(recorder -> recorder.connections)
        .doesNotHaveDuplicates()
        .hasSize(2)
        .allSatisfy(id -> assertThat(id).startsWith("ws-"));
    assertThat(sink.events(StreamEventType.REJECTED_MESSAGE))
        .allSatisfy(event -> assertThat(event.detail()).isEqualTo("unexpected frame: data"));
  }

  @Test
  void aVenueThatGreetsIsSubscribedOnlyAfterItsGreetingWhichIsNotRejected() {
    TestProtocol protocol =
        new TestProtocol(server.url(), 5, 10) {
          @Override
          public boolean greets() {
            return true;
          }

          @Override
          public boolean isGreeting(Frame frame) {
            return frame.is("welcome");
          }
        };
    group(protocol).add(topics(1));
    sink.await("a connect row", s -> !s.events(StreamEventType.CONNECT).isEmpty());
    server.sendAll("data");
    CollectingSink.awaitTrue(
        "the frame before the greeting read",
        () -> counters.rejected().get() == 1,
        Duration.ofSeconds(10));

    assertThat(server.starting("sub:")).as("nothing subscribed before the greeting").isEmpty();

    server.sendAll("welcome");
    CollectingSink.awaitTrue(
        "subscribed", () -> subscribed("sub:").size() == 1, Duration.ofSeconds(10));
    assertThat(counters.rejected().get()).as("the greeting is not rejected").isEqualTo(1);
  }
}
