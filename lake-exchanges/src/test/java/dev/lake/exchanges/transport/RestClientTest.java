package dev.lake.exchanges.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * REST failures without an answer, worded for a person: what failed, not which class was thrown.
 */
class RestClientTest {
  private Transport transport;
  private RestClient client;

  @BeforeEach
  void start() {
    transport = Transport.create(1);
    client =
        new RestClient(
            transport,
            "binance spot",
            RestRules.builder().budget(6000, Duration.ofMinutes(1)).build(),
            0.8,
            limit -> {});
  }

  @AfterEach
  void stop() {
    transport.close();
  }

  private Throwable failureOf(URI uri) {
    Throwable thrown = catchThrowable(() -> client.get(uri, 1).join());
    return thrown instanceof CompletionException ? thrown.getCause() : thrown;
  }

  @Test
  void aHostThatDoesNotResolveIsSaidInPlainWords() {
    Throwable failure = failureOf(URI.create("https://nonexistent.invalid/api/v3/depth?symbol=X"));

    assertThat(failure)
        .isInstanceOf(RestException.class)
        .hasMessage(
            "Cannot GET https://nonexistent.invalid/api/v3/depth?symbol=X: cannot resolve host"
                + " nonexistent.invalid");
  }

  @Test
  void aPortNobodyListensOnIsARefusedConnection() throws IOException {
    int port = unusedPort();

    Throwable failure = failureOf(URI.create("http://127.0.0.1:" + port + "/fapi/v1/openInterest"));

    assertThat(failure)
        .isInstanceOf(RestException.class)
        .hasMessage(
            "Cannot GET http://127.0.0.1:"
                + port
                + "/fapi/v1/openInterest: connection refused by 127.0.0.1:"
                + port);
  }

  /** A loopback port that was free a moment ago, and so has no listener. */
  static int unusedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
