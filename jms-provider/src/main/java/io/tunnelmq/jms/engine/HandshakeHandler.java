package io.tunnelmq.jms.engine;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Welcome;

/**
 * The opening of a tunnel: sends {@code Hello} as soon as TCP is up and waits for {@code Welcome}, then
 * steps out of the pipeline so every later frame goes to the {@link ConnectionHandler}. An error frame or
 * any other frame instead of {@code Welcome} fails the connect.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {
    private final TunnelClientConnection connection;

    HandshakeHandler(TunnelClientConnection connection) {
        this.connection = connection;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(connection.hello()).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Welcome welcome) {
            // out of the way before anything else is read: frames right behind Welcome belong to the engine
            ctx.pipeline().remove(this);
            connection.welcomed(welcome);
        } else if (msg instanceof ErrorFrame error) {
            connection.handshakeRefused(error);
        } else if (msg instanceof Frame frame) {
            connection.handshakeViolated(frame);
        }
    }
}
