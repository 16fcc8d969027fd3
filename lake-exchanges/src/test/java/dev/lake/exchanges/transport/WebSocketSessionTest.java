package dev.lake.exchanges.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.model.MarketType;
import dev.lake.exchanges.CollectingSink;
import dev.lake.exchanges.MicrosClock;
import dev.lake.testing.binance.FakeBinance;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebSocketSessionTest {
  @TempDir Path folder;
  private FakeBinance binance;
  private Transport transport;

  @AfterEach
  void stop() {
    if (transport != null) {
      transport.close();
    }
    if (binance != null) {
      binance.close();
    }
  }

  /** Records what a session tells its listener, and subscribes on every open. */
  private static final class Recorder implements WebSocketListener {
    final List<String> opened = new CopyOnWriteArrayList<>();
    final List<String> closed = new CopyOnWriteArrayList<>();
    final List<String> failed = new CopyOnWriteArrayList<>();
    final List<String> messages = new CopyOnWriteArrayList<>();
    final List<Long> receivedMicros = new CopyOnWriteArrayList<>();
    final String subscribe;

    Recorder(String subscribe) {
      this.subscribe = subscribe;
    }

    @Override
    public void onOpen(WebSocketSession session, String connectionId) {
      opened.add(connectionId);
      if (subscribe != null) {
        session.send(subscribe);
      }
    }

    @Override
    public void onMessage(ByteBuf content, long received, String connectionId) {
      messages.add(content.toString(StandardCharsets.UTF_8));
      receivedMicros.add(received);
    }

    @Override
    public void onClose(String connectionId, String reason, boolean reconnecting) {
      closed.add(reason + (reconnecting ? " [reconnecting]" : ""));
    }

    @Override
    public void onConnectFailed(String reason) {
      failed.add(reason);
    }
  }

  private static final String SUBSCRIBE =
      "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@depth@100ms\"],\"id\":1}";

  @Test
  void answersPingsAndTimesMessagesWhenTheyArrive() {
    binance = FakeBinance.start(Duration.ofMillis(100));
    binance.addSymbol(MarketType.SPOT, "BTCUSDT", "BTC", "USDT", 5);
    transport = Transport.create(1);
    Recorder recorder = new Recorder(SUBSCRIBE);
    WebSocketSession session =
        new WebSocketSession(
            transport,
            URI.create(binance.wsBase() + "/ws"),
            recorder,
            WebSocketSession.Options.defaults("test"));
    session.start();
    binance.awaitSubscribed(MarketType.SPOT, "btcusdt@depth@100ms", Duration.ofSeconds(10));
    long before = MicrosClock.SYSTEM.nowMicros();
    binance.publishDepth(MarketType.SPOT, "BTCUSDT", 2);
    CollectingSink.awaitTrue(
        "a depth event",
        () -> recorder.messages.stream().anyMatch(m -> m.contains("depthUpdate")),
        Duration.ofSeconds(10));
    CollectingSink.awaitTrue(
        "pongs", () -> binance.pongsReceived(MarketType.SPOT) >= 2, Duration.ofSeconds(10));
    long received = recorder.receivedMicros.get(recorder.messages.size() - 1);
    assertThat(received).isBetween(before, MicrosClock.SYSTEM.nowMicros());
    session.close();
  }

  @Test
  void reconnectsWithBackOffAfterTheServerDropsTheConnection() {
    binance = FakeBinance.start();
    binance.addSymbol(MarketType.SPOT, "BTCUSDT", "BTC", "USDT", 5);
    transport = Transport.create(1);
    Recorder recorder = new Recorder(SUBSCRIBE);
    WebSocketSession session =
        new WebSocketSession(
            transport,
            URI.create(binance.wsBase() + "/ws"),
            recorder,
            WebSocketSession.Options.defaults("test")
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200)));
    session.start();
    binance.awaitSubscribed(MarketType.SPOT, "btcusdt@depth@100ms", Duration.ofSeconds(10));
    binance.disconnectAll(MarketType.SPOT);
    CollectingSink.awaitTrue(
        "a second connection", () -> recorder.opened.size() == 2, Duration.ofSeconds(10));
    assertThat(recorder.closed).singleElement().asString().endsWith("[reconnecting]");
    session.close();
    CollectingSink.awaitTrue("closed", () -> recorder.closed.size() == 2, Duration.ofSeconds(10));
    assertThat(recorder.closed.get(1)).isEqualTo("closed by lake");
  }

  @Test
  void renewsTheConnectionBeforeItsLifetimeEndsWithoutABreak() {
    binance = FakeBinance.start();
    binance.addSymbol(MarketType.SPOT, "BTCUSDT", "BTC", "USDT", 5);
    transport = Transport.create(1);
    Recorder recorder = new Recorder(SUBSCRIBE);
    WebSocketSession session =
        new WebSocketSession(
            transport,
            URI.create(binance.wsBase() + "/ws"),
            recorder,
            WebSocketSession.Options.defaults("test")
                .withMaxLifetime(Duration.ofMillis(700), Duration.ofMillis(300)));
    AtomicInteger maxOpen = new AtomicInteger();
    session.start();
    // an observation window, not a wait: over 3 s (several lifetimes), sample how many
    // connections are open at once while the fake keeps publishing
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (System.nanoTime() < deadline) {
      maxOpen.accumulateAndGet(binance.openConnections(MarketType.SPOT), Math::max);
      binance.publishDepth(MarketType.SPOT, "BTCUSDT", 1);
      sleep(20);
    }
    session.close();
    assertThat(recorder.opened.size()).isGreaterThanOrEqualTo(3);
    assertThat(maxOpen.get()).as("old and new overlap").isEqualTo(2);
    assertThat(recorder.closed)
        .allSatisfy(
            reason ->
                assertThat(reason)
                    .isIn("renewed before the venue's connection lifetime", "closed by lake"));
  }

  @Test
  void countsOpenConnectionsFromAnotherThreadWhileConnectionsOpenAndClose() {
    binance = FakeBinance.start();
    binance.addSymbol(MarketType.SPOT, "BTCUSDT", "BTC", "USDT", 5);
    transport = Transport.create(1);
    Recorder recorder = new Recorder(SUBSCRIBE);
    // a connection renewed every few milliseconds: the event loop adds and removes connections
    // all the time, as when symbols are added, while a metrics scrape counts them
    WebSocketSession session =
        new WebSocketSession(
            transport,
            URI.create(binance.wsBase() + "/ws"),
            recorder,
            WebSocketSession.Options.defaults("test")
                .withMaxLifetime(Duration.ofMillis(5), Duration.ofMillis(1)));
    session.start();
    int most = 0;
    int least = Integer.MAX_VALUE;
    Throwable failure = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (recorder.opened.size() < 300 && System.nanoTime() < deadline && failure == null) {
      try {
        int count = session.openConnections();
        most = Math.max(most, count);
        least = Math.min(least, count);
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    session.close();
    assertThat(failure).as("a count read from another thread").isNull();
    assertThat(recorder.opened).as("connections opened while counting").hasSizeGreaterThan(50);
    assertThat(least).as("fewest open at once").isGreaterThanOrEqualTo(0);
    assertThat(most).as("most open at once (old and new overlap)").isBetween(1, 2);
  }

  @Test
  void closesAConnectionThatGoesSilent() {
    binance = FakeBinance.start(Duration.ofHours(1));
    transport = Transport.create(1);
    Recorder recorder = new Recorder(null);
    WebSocketSession session =
        new WebSocketSession(
            transport,
            URI.create(binance.wsBase() + "/ws"),
            recorder,
            WebSocketSession.Options.defaults("test").withIdleTimeout(Duration.ofMillis(300)));
    session.start();
    CollectingSink.awaitTrue(
        "an idle close", () -> !recorder.closed.isEmpty(), Duration.ofSeconds(10));
    assertThat(recorder.closed.get(0)).isEqualTo("no data for 300 ms [reconnecting]");
    session.close();
  }

  @Test
  void aHostThatDoesNotResolveIsAFailedAttemptSaidInPlainWordsAndNoClose() {
    transport = Transport.create(1);
    Recorder recorder = new Recorder(null);
    WebSocketSession session =
        new WebSocketSession(
            transport,
            URI.create("wss://nonexistent.invalid/ws"),
            recorder,
            WebSocketSession.Options.defaults("test")
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(50)));
    session.start();
    CollectingSink.awaitTrue(
        "two failed attempts", () -> recorder.failed.size() >= 2, Duration.ofSeconds(10));
    session.close();

    assertThat(recorder.failed).allMatch("cannot resolve host nonexistent.invalid"::equals);
    assertThat(session.failedAttempts()).isGreaterThanOrEqualTo(2);
    assertThat(recorder.opened).isEmpty();
    assertThat(recorder.closed).isEmpty();
  }

  @Test
  void aPortNobodyListensOnIsARefusedAttemptAndNoClose() throws IOException {
    int port = RestClientTest.unusedPort();
    transport = Transport.create(1);
    Recorder recorder = new Recorder(null);
    WebSocketSession session =
        new WebSocketSession(
            transport,
            URI.create("ws://127.0.0.1:" + port + "/ws"),
            recorder,
            WebSocketSession.Options.defaults("test")
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(50)));
    session.start();
    CollectingSink.awaitTrue(
        "a failed attempt", () -> !recorder.failed.isEmpty(), Duration.ofSeconds(10));
    session.close();

    assertThat(recorder.failed.get(0)).isEqualTo("connection refused by 127.0.0.1:" + port);
    assertThat(recorder.closed).isEmpty();
  }

  @Test
  void refusesACertificateItDoesNotTrustAndAHostNameThatDoesNotMatch() throws Exception {
    Path keystore = keystore("CN=localhost", "dns:localhost,ip:127.0.0.1");
    try (TlsServer server = new TlsServer(keystore)) {
      transport = Transport.create(1);
      Recorder untrusted = new Recorder(null);
      new WebSocketSession(
              transport,
              URI.create("wss://127.0.0.1:" + server.port() + "/ws"),
              untrusted,
              WebSocketSession.Options.defaults("tls"))
          .start();
      CollectingSink.awaitTrue(
          "a refusal", () -> !untrusted.failed.isEmpty(), Duration.ofSeconds(10));
      assertThat(untrusted.failed.get(0))
          .startsWith("TLS handshake with 127.0.0.1:" + server.port() + " failed: ")
          .contains("unable to find valid certification path");
      assertThat(untrusted.opened).isEmpty();
      assertThat(untrusted.closed).isEmpty();
    }
    Path otherHost = keystore("CN=example.com", "dns:example.com");
    try (TlsServer server = new TlsServer(otherHost)) {
      transport.close();
      transport = Transport.create(1, trusting(otherHost), MicrosClock.SYSTEM);
      Recorder wrongName = new Recorder(null);
      new WebSocketSession(
              transport,
              URI.create("wss://127.0.0.1:" + server.port() + "/ws"),
              wrongName,
              WebSocketSession.Options.defaults("tls"))
          .start();
      CollectingSink.awaitTrue(
          "a refusal", () -> !wrongName.failed.isEmpty(), Duration.ofSeconds(10));
      assertThat(wrongName.failed.get(0)).containsIgnoringCase("subject alternative names");
    }
  }

  private Path keystore(String name, String san) throws Exception {
    Path file = folder.resolve(name.replace("=", "-") + ".p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "lake",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                name,
                "-ext",
                "SAN=" + san,
                "-validity",
                "2",
                "-keystore",
                file.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    keytool.getInputStream().readAllBytes();
    assertThat(keytool.waitFor()).isZero();
    return file;
  }

  private static TrustManagerFactory trusting(Path keystore) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = java.nio.file.Files.newInputStream(keystore)) {
      store.load(in, "changeit".toCharArray());
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory;
  }

  /** A TLS server that completes handshakes (or fails them) and closes. */
  private static final class TlsServer implements AutoCloseable {
    private final SSLServerSocket socket;
    private final Thread thread;

    TlsServer(Path keystore) throws Exception {
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = java.nio.file.Files.newInputStream(keystore)) {
        store.load(in, "changeit".toCharArray());
      }
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, "changeit".toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      this.socket =
          (SSLServerSocket)
              context
                  .getServerSocketFactory()
                  .createServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
      this.thread =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try (SSLSocket client = (SSLSocket) socket.accept()) {
                    client.startHandshake();
                    client.getInputStream().read();
                  } catch (IOException e) {
                    // a refused handshake ends here
                  }
                }
              });
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
