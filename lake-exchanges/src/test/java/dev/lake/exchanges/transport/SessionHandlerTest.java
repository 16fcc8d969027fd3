package dev.lake.exchanges.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket handlers of a session's pipeline ({@link WebSocketSession#addWebSocket} and {@link
 * SessionHandler}) on an {@link EmbeddedChannel}: the server's side is written by hand, frame by
 * frame, with Netty's own server-side encoder and decoder.
 */
class SessionHandlerTest {
  private static final URI URL = URI.create("ws://127.0.0.1:9443/ws");
  private static final Duration IDLE = Duration.ofSeconds(5);
  private static final Pattern KEY =
      Pattern.compile("sec-websocket-key: *(\\S+)", Pattern.CASE_INSENSITIVE);

  private final Recorded events = new Recorded();
  private final EmbeddedChannel serverEncoder =
      new EmbeddedChannel(new WebSocket13FrameEncoder(false));
  private final EmbeddedChannel serverDecoder =
      new EmbeddedChannel(new WebSocket13FrameDecoder(true, true, 1 << 20));
  private EmbeddedChannel client;

  @AfterEach
  void close() {
    serverEncoder.finishAndReleaseAll();
    serverDecoder.finishAndReleaseAll();
    if (client != null) {
      client.finishAndReleaseAll();
    }
  }

  /** What the connection heard from its pipeline. */
  private static final class Recorded implements SessionHandler.Events {
    int opened;
    int inactive;
    final List<String> texts = new ArrayList<>();
    final List<String> reasons = new ArrayList<>();
    final List<Throwable> failures = new ArrayList<>();

    @Override
    public void opened() {
      opened++;
    }

    @Override
    public void text(ByteBuf content) {
      texts.add(content.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void closing(String reason) {
      reasons.add(reason);
    }

    @Override
    public void failed(Throwable cause) {
      failures.add(cause);
    }

    @Override
    public void inactive() {
      inactive++;
    }
  }

  private EmbeddedChannel client() {
    WebSocketSession.Options options =
        WebSocketSession.Options.defaults("test").withIdleTimeout(IDLE);
    return new EmbeddedChannel(
        new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {
            WebSocketSession.addWebSocket(
                channel.pipeline(), URL, options, new SessionHandler(events, IDLE));
          }
        });
  }

  /** A client whose handshake the server answered, with these extension headers. */
  private EmbeddedChannel connected(String extensions) {
    client = client();
    String request = outbound(client);
    Matcher key = KEY.matcher(request);
    assertThat(key.find()).as(request).isTrue();
    client.writeInbound(
        Unpooled.copiedBuffer(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: "
                + accept(key.group(1))
                + "\r\n"
                + extensions
                + "\r\n",
            StandardCharsets.US_ASCII));
    return client;
  }

  private EmbeddedChannel connected() {
    return connected("");
  }

  private static String outbound(EmbeddedChannel channel) {
    StringBuilder text = new StringBuilder();
    for (ByteBuf buffer; (buffer = channel.readOutbound()) != null; ) {
      text.append(buffer.toString(StandardCharsets.US_ASCII));
      buffer.release();
    }
    return text.toString();
  }

  private static String accept(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1")
              .digest(
                  (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                      .getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sends frames as the server would, through an encoder. */
  private void serverSends(EmbeddedChannel encoder, WebSocketFrame... frames) {
    for (WebSocketFrame frame : frames) {
      encoder.writeOutbound(frame);
      for (ByteBuf bytes; (bytes = encoder.readOutbound()) != null; ) {
        client.writeInbound(bytes);
      }
    }
  }

  private void serverSends(WebSocketFrame... frames) {
    serverSends(serverEncoder, frames);
  }

  /** The frames the client sent since the handshake, as the server decodes them. */
  private List<WebSocketFrame> clientSent() {
    for (Object bytes; (bytes = client.readOutbound()) != null; ) {
      serverDecoder.writeInbound(bytes);
    }
    List<WebSocketFrame> frames = new ArrayList<>();
    for (WebSocketFrame frame; (frame = serverDecoder.readInbound()) != null; ) {
      frames.add(frame);
    }
    return frames;
  }

  @Test
  void theCompletedHandshakeOpensTheConnection() {
    connected();
    assertThat(events.opened).isEqualTo(1);
  }

  @Test
  void aTextFrameIsOneMessage() {
    connected();
    serverSends(new TextWebSocketFrame("{\"e\":\"depthUpdate\"}"));
    assertThat(events.texts).containsExactly("{\"e\":\"depthUpdate\"}");
  }

  @Test
  void aTextFrameSentInContinuationsIsAssembledIntoOneMessage() {
    connected();
    serverSends(
        new TextWebSocketFrame(false, 0, Unpooled.copiedBuffer("{\"a\":", StandardCharsets.UTF_8)),
        new ContinuationWebSocketFrame(
            false, 0, Unpooled.copiedBuffer("[1,", StandardCharsets.UTF_8)),
        new ContinuationWebSocketFrame(
            true, 0, Unpooled.copiedBuffer("2]}", StandardCharsets.UTF_8)));
    assertThat(events.texts).containsExactly("{\"a\":[1,2]}");
  }

  @Test
  void aCompressedTextFrameIsInflatedWhenTheServerAcceptedPermessageDeflate() {
    connected("Sec-WebSocket-Extensions: permessage-deflate\r\n");
    WebSocketServerExtension deflate =
        new PerMessageDeflateServerExtensionHandshaker()
            .handshakeExtension(new WebSocketExtensionData("permessage-deflate", Map.of()));
    EmbeddedChannel compressing =
        new EmbeddedChannel(new WebSocket13FrameEncoder(false), deflate.newExtensionEncoder());
    serverSends(compressing, new TextWebSocketFrame("{\"compressed\":true}"));
    compressing.finishAndReleaseAll();
    assertThat(events.texts).containsExactly("{\"compressed\":true}");
  }

  @Test
  void binaryFramesAreNotMessages() {
    connected();
    serverSends(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
    assertThat(events.texts).isEmpty();
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void aPingFromTheServerIsAnsweredWithAPongCarryingItsData() {
    connected();
    serverSends(new PingWebSocketFrame(Unpooled.copiedBuffer("keepalive", StandardCharsets.UTF_8)));
    List<WebSocketFrame> sent = clientSent();
    assertThat(sent).singleElement().isInstanceOf(PongWebSocketFrame.class);
    assertThat(sent.get(0).content().toString(StandardCharsets.UTF_8)).isEqualTo("keepalive");
    sent.forEach(WebSocketFrame::release);
    assertThat(events.texts).isEmpty();
  }

  @Test
  void noDataForTheIdleTimeoutClosesTheConnectionWithThatReason() {
    connected();
    client.advanceTimeBy(IDLE.toMillis() + 1, TimeUnit.MILLISECONDS);
    client.runScheduledPendingTasks();
    assertThat(events.reasons).containsExactly("no data for 5 s");
    assertThat(client.isOpen()).isFalse();
    assertThat(events.inactive).isEqualTo(1);
  }

  @Test
  void dataWithinTheIdleTimeoutKeepsTheConnectionOpen() {
    connected();
    client.advanceTimeBy(IDLE.toMillis() - 1000, TimeUnit.MILLISECONDS);
    client.runScheduledPendingTasks();
    serverSends(new TextWebSocketFrame("{}"));
    client.advanceTimeBy(IDLE.toMillis() - 1000, TimeUnit.MILLISECONDS);
    client.runScheduledPendingTasks();
    assertThat(client.isOpen()).isTrue();
    assertThat(events.reasons).isEmpty();
  }

  @Test
  void anUnansweredHandshakeTimesOutAndCloses() {
    client = client();
    outbound(client);
    client.advanceTimeBy(16, TimeUnit.SECONDS);
    client.runScheduledPendingTasks();
    assertThat(events.reasons).contains("handshake timed out");
    assertThat(client.isOpen()).isFalse();
    assertThat(events.opened).isZero();
  }

  @Test
  void aCloseFrameFromTheServerClosesTheConnectionWithoutAReasonOfLakes() {
    connected();
    serverSends(new CloseWebSocketFrame(1001, "going away"));
    client.runPendingTasks();
    assertThat(client.isOpen()).isFalse();
    assertThat(events.inactive).isEqualTo(1);
    assertThat(events.reasons).isEmpty();
  }

  @Test
  void anErrorIsReportedAndClosesTheConnection() {
    connected();
    IOException reset = new IOException("Connection reset by peer");
    client.pipeline().fireExceptionCaught(reset);
    assertThat(events.failures).containsExactly(reset);
    assertThat(client.isOpen()).isFalse();
    assertThat(events.inactive).isEqualTo(1);
  }
}
