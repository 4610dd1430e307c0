package io.tunnelmq.jms.transport;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.tunnelmq.protocol.frame.Heartbeat;

import java.util.concurrent.TimeUnit;

/**
 * Keeps the tunnel alive and notices a dead peer: writes a {@link Heartbeat} whenever nothing was written for
 * one interval, and fires {@link PeerSilent} when nothing was read for three intervals.
 */
final class HeartbeatHandler extends IdleStateHandler {
    /** A peer that misses this many heartbeat intervals in a row is considered dead. */
    static final int MISSED_INTERVALS = 3;

    private final long silenceMillis;

    HeartbeatHandler(int intervalMillis) {
        super(MISSED_INTERVALS * (long) intervalMillis, intervalMillis, 0, TimeUnit.MILLISECONDS);
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("heartbeat interval must be > 0, was " + intervalMillis);
        }
        this.silenceMillis = MISSED_INTERVALS * (long) intervalMillis;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        if (event.state() == IdleState.WRITER_IDLE) {
            // through the channel, so this handler sees the write and restarts its writer-idle clock
            ctx.channel().writeAndFlush(Heartbeat.INSTANCE).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        } else if (event.state() == IdleState.READER_IDLE) {
            ctx.fireUserEventTriggered(new PeerSilent(silenceMillis));
        }
    }
}
