package io.tunnelmq.jms.faults;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;

/** A client's connection through the proxy and the proxy's connection on to the broker. Event loop only. */
final class ProxiedConnection {
    private final Channel client;
    private final Channel broker;
    private final Pipe toBroker;
    private final Pipe toClient;

    ProxiedConnection(Channel client, Channel broker) {
        this.client = client;
        this.broker = broker;
        this.toBroker = new Pipe(client, broker);
        this.toClient = new Pipe(broker, client);
        client.pipeline().addLast(new Side(toBroker, toClient));
        broker.pipeline().addLast(new Side(toClient, toBroker));
    }

    Pipe pipe(Direction direction) {
        return switch (direction) {
            case TO_BROKER -> toBroker;
            case TO_CLIENT -> toClient;
        };
    }

    /** Starts forwarding, in the proxy's current state. */
    void start() {
        toBroker.updateReading();
        toClient.updateReading();
    }

    /** Closes both sides: each peer sees an orderly close (FIN). */
    void cut() {
        client.close();
        broker.close();
    }

    /** Closes both sides with an RST (SO_LINGER 0): each peer sees "connection reset". */
    void reset() {
        client.config().setOption(ChannelOption.SO_LINGER, 0);
        broker.config().setOption(ChannelOption.SO_LINGER, 0);
        cut();
    }

    boolean isLive() {
        return client.isActive() && broker.isActive();
    }

    /** The handler of one side: what it reads goes into {@code out}; it is the sink of {@code in}. */
    private static final class Side extends ChannelInboundHandlerAdapter {
        private final Pipe out;
        private final Pipe in;

        Side(Pipe out, Pipe in) {
            this.out = out;
            this.in = in;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            out.arrived((ByteBuf) msg);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            in.updateReading();
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            out.sourceClosed();
            in.discard();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a reset from this peer: close, and the other side follows via channelInactive
        }
    }
}
