package io.tunnelmq.jms.engine;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.tunnelmq.jms.transport.PeerSilent;
import io.tunnelmq.protocol.frame.Frame;

/** The last handler of a tunnel's pipeline: hands frames and transport events to the connection. */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private final TunnelClientConnection connection;

    ConnectionHandler(TunnelClientConnection connection) {
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Frame frame) {
            connection.onFrame(frame);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.transportClosed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // handled here, not passed on: the connection fails (or was already over) and says why
        connection.transportFailed(cause);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof PeerSilent silent) {
            connection.peerSilent(silent);
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }
}
