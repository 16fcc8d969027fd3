package dev.lake.exchanges.transport;

import dev.lake.exchanges.MicrosClock;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.function.LongConsumer;

/**
 * The first handler of a session's pipeline: notes when bytes arrive, before TLS and framing, so
 * that receive times are network times.
 */
final class ReceiveTime extends ChannelInboundHandlerAdapter {
  private final MicrosClock clock;
  private final LongConsumer received;

  ReceiveTime(MicrosClock clock, LongConsumer received) {
    this.clock = clock;
    this.received = received;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    received.accept(clock.nowMicros());
    ctx.fireChannelRead(message);
  }
}
