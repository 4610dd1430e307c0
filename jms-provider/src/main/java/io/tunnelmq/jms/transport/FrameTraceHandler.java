package io.tunnelmq.jms.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every frame in and out at TRACE on the logger {@value #LOGGER_NAME}, so frame tracing can be switched
 * on alone without the engine's debug noise. In the pipeline only of connections opened while that logger is at
 * TRACE ({@link #enabled()}, as on the broker): otherwise it would cost a pipeline hop and a level check per frame.
 */
@ChannelHandler.Sharable
final class FrameTraceHandler extends ChannelDuplexHandler {
    static final String LOGGER_NAME = "io.tunnelmq.jms.transport.trace";
    static final FrameTraceHandler INSTANCE = new FrameTraceHandler();

    /** The name the engine gives this connection in logs (the broker's connection id once known). */
    static final AttributeKey<String> LOG_ID = AttributeKey.valueOf(FrameTraceHandler.class, "logId");

    private static final Logger trace = LoggerFactory.getLogger(LOGGER_NAME);

    private FrameTraceHandler() {
    }

    /** Whether frames are traced: a connection opened now gets this handler. */
    static boolean enabled() {
        return trace.isTraceEnabled();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (trace.isTraceEnabled()) {
            trace.trace("[{}] <- {}", logId(ctx), msg);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (trace.isTraceEnabled()) {
            trace.trace("[{}] -> {}", logId(ctx), msg);
        }
        ctx.write(msg, promise);
    }

    private static String logId(ChannelHandlerContext ctx) {
        String id = ctx.channel().attr(LOG_ID).get();
        return id != null ? id : ctx.channel().id().asShortText();
    }
}
