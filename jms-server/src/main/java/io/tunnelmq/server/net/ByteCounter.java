package io.tunnelmq.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts a connection's bytes on the wire, in and out (TLS records included), for operators. The first handler of
 * the pipeline; its fields are written only by the connection's event loop (volatile, so any thread may read them):
 * an add per read and per write, no atomic.
 */
final class ByteCounter extends ChannelDuplexHandler {
    static final String NAME = "bytes";

    private volatile long in;
    private volatile long out;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            in += buf.readableBytes(); // single writer: the event loop
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            out += buf.readableBytes();
        }
        ctx.write(msg, promise);
    }

    long in() {
        return in;
    }

    long out() {
        return out;
    }

    /** The counter of a pipeline, or null. */
    static ByteCounter of(io.netty.channel.ChannelPipeline pipeline) {
        ChannelHandler handler = pipeline.get(NAME);
        return handler instanceof ByteCounter counter ? counter : null;
    }
}
