package io.tunnelmq.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A request must arrive whole within a deadline of its first byte, or its connection is answered {@code 408} and
 * closed. The idle timeout alone restarts at every byte, so a client dribbling a header a byte at a time (slowloris)
 * would hold one of the port's few connections for as long as it liked. Two handlers of one connection share the
 * watch: {@link #start()}, before the HTTP codec, sees the bytes; {@link #end()}, after the aggregator, the whole
 * request. The next request's deadline runs from its next byte. On the connection's event loop only.
 */
final class HttpRequestDeadline {
    private static final Logger log = LoggerFactory.getLogger(HttpRequestDeadline.class);

    private final long millis;
    /** The deadline of the request under way; null between requests. */
    private ScheduledFuture<?> timer;

    HttpRequestDeadline(long millis) {
        this.millis = millis;
    }

    /** The handler before the HTTP codec: a byte while no request is under way starts one's deadline. */
    ChannelInboundHandler start() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (timer == null && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                    timer = ctx.executor().schedule(() -> expire(ctx), millis, TimeUnit.MILLISECONDS);
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                stop();
                ctx.fireChannelInactive();
            }
        };
    }

    /** The handler after the aggregator: a whole request ends its deadline. */
    ChannelInboundHandler end() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof FullHttpRequest) {
                    stop();
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    private void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Written from the handler before the codec: raw bytes, whatever the codec holds of the request so far. */
    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        log.debug("HTTP connection {}: no whole request within {} ms of its first byte: closed",
                ctx.channel().remoteAddress(), millis);
        HttpReply reply = HttpReply.text(408, "a request must arrive whole within " + millis + " ms of its first byte");
        ctx.writeAndFlush(Unpooled.wrappedBuffer(reply.closingBytes())).addListener(ChannelFutureListener.CLOSE);
    }
}
