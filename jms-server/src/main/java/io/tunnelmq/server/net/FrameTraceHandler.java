package io.tunnelmq.server.net;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every frame in and out at TRACE on the logger {@value #LOGGER}. Added to the pipeline only when that
 * logger is enabled for TRACE, so it costs nothing otherwise.
 */
final class FrameTraceHandler extends ChannelDuplexHandler {
    static final String LOGGER = "io.tunnelmq.server.net.trace";
    static final Logger log = LoggerFactory.getLogger(LOGGER);

    private final String connectionId;

    FrameTraceHandler(String connectionId) {
        this.connectionId = connectionId;
    }

    static boolean enabled() {
        return log.isTraceEnabled();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        log.trace("{} <- {}", connectionId, msg);
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        log.trace("{} -> {}", connectionId, msg);
        ctx.write(msg, promise);
    }
}
