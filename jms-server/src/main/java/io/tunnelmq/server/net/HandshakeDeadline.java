package io.tunnelmq.server.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The handshake deadline: fires {@link #OVERDUE} down the pipeline a fixed time after the connection started, unless
 * it is {@link #remove removed} first (the Hello arrived). Absolute on purpose: a reader-idle timeout restarts with
 * every byte, so a peer trickling one byte at a time (slowloris) could hold its connection for ever.
 */
final class HandshakeDeadline extends ChannelInboundHandlerAdapter {
    static final String NAME = "handshake-deadline";
    /** User event: the handshake did not finish in time. */
    static final Object OVERDUE = new Object();

    private final long timeoutMillis;
    private ScheduledFuture<?> timer;

    HandshakeDeadline(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** Stops the deadline of the connection whose pipeline this is, if it has one. */
    static void remove(ChannelPipeline pipeline) {
        if (pipeline.get(NAME) != null) {
            pipeline.remove(NAME);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> ctx.fireUserEventTriggered(OVERDUE), timeoutMillis,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        timer.cancel(false);
    }
}
