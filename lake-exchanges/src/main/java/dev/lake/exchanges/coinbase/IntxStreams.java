package dev.lake.exchanges.coinbase;

import static java.util.Objects.requireNonNull;

import dev.lake.exchanges.MicrosClock;
import dev.lake.exchanges.stream.StreamProtocol;
import dev.lake.exchanges.transport.WebSocketSession;
import java.net.URI;
import java.util.List;

/**
 * INTX's market-data WebSocket protocol: {@code {"type":"SUBSCRIBE","product_ids":[..],
 * "channels":[..],"time","key","passphrase","signature"}}, every request signed ({@link
 * IntxSigner}), the first within 3 s of connecting (lake subscribes on open). A topic is a product
 * id; each feed's connections carry its own channels.
 *
 * @param channels e.g. {@code LEVEL2}, or {@code RISK} and {@code FUNDING}
 */
record IntxStreams(
    URI url,
    List<String> channels,
    IntxSigner signer,
    MicrosClock clock,
    int topicsPerConnection,
    WebSocketSession.Options options)
    implements StreamProtocol {
  IntxStreams {
    requireNonNull(url, "url is null");
    channels = List.copyOf(channels);
    requireNonNull(signer, "signer is null");
    requireNonNull(clock, "clock is null");
    requireNonNull(options, "options is null");
  }

  @Override
  public int topicsPerRequest() {
    return CoinbaseStreams.TOPICS_PER_REQUEST;
  }

  @Override
  public String subscribe(List<String> topics, long requestId) {
    return request("SUBSCRIBE", topics);
  }

  @Override
  public String unsubscribe(List<String> topics, long requestId) {
    return request("UNSUBSCRIBE", topics);
  }

  private String request(String type, List<String> topics) {
    return "{\"type\":\""
        + type
        + "\",\"product_ids\":[\""
        + String.join("\",\"", topics)
        + "\"],\"channels\":[\""
        + String.join("\",\"", channels)
        + "\"],"
        + signer.fields(clock.nowMicros() / 1_000_000)
        + "}";
  }

  /** Never shows the signed fields. */
  @Override
  public String toString() {
    return "IntxStreams[url=" + url + ", channels=" + channels + "]";
  }
}
