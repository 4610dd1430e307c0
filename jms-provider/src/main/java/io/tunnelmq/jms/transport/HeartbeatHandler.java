package io.tunnelmq.jms.transport;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.Heartbeat;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps the tunnel alive and notices a dead peer: writes a {@link Heartbeat} whenever nothing was written for
 * one interval, and fires {@link PeerSilent} when nothing was read for three intervals. It sits at the socket end
 * of the pipeline, so every byte read counts as life, even the first bytes of a large frame still on its way.
 *
 * <p>After two silent intervals the peer is <em>quiet</em> ({@link #peerQuiet()}): the broker counts this side dead
 * after three, so the client stops handing out buffered messages until something is read again, and then fires
 * {@link PeerHeard}.
 *
 * <p>Writes are watched by a count, not a clock: a tick every half interval writes a heartbeat when nothing was
 * written since the previous tick, so the peer hears something at least once an interval (the handler's start counts
 * as a write). Netty's writer-idle timer would instead put a promise and a listener on every write.
 */
final class HeartbeatHandler extends IdleStateHandler implements Heartbeats {
    /** A peer that misses this many heartbeat intervals in a row is considered dead. */
    static final int MISSED_INTERVALS = Protocol.MISSED_HEARTBEATS;
    /**
     * A peer that missed this many intervals is quiet. Each side writes at least once an interval, so when the network
     * fails the broker's count of silence is at most one interval ahead of ours: it gives up no earlier than we go
     * quiet.
     */
    static final int QUIET_INTERVALS = MISSED_INTERVALS - 1;

    private final long silenceMillis;
    private final long quietNanos;
    /** Nanoseconds: {@code System.nanoTime} (a test passes its embedded channel's clock, which it moves by hand). */
    private final LongSupplier clock;
    /** When something was last read, on {@link #clock}; written on the event loop, read anywhere. */
    private volatile long lastReadNanos;
    private final long tickMillis;
    /** Writes so far and at the last tick; on the event loop. */
    private long writes;
    private long writesAtTick = -1;
    private ScheduledFuture<?> ticks;

    HeartbeatHandler(int intervalMillis) {
        this(intervalMillis, System::nanoTime);
    }

    HeartbeatHandler(int intervalMillis, LongSupplier clock) {
        super(MISSED_INTERVALS * (long) intervalMillis, 0, 0, TimeUnit.MILLISECONDS);
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("heartbeat interval must be > 0, was " + intervalMillis);
        }
        this.silenceMillis = MISSED_INTERVALS * (long) intervalMillis;
        this.quietNanos = TimeUnit.MILLISECONDS.toNanos(QUIET_INTERVALS * (long) intervalMillis);
        this.clock = clock;
        this.lastReadNanos = clock.getAsLong();
        this.tickMillis = Math.max(1, intervalMillis / 2);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        lastReadNanos = clock.getAsLong(); // the handshake was just read
        super.handlerAdded(ctx);
        ticks = ctx.executor().scheduleAtFixedRate(() -> tick(ctx), tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        ticks.cancel(false);
        super.handlerRemoved(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        ticks.cancel(false);
        super.channelInactive(ctx);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        writes++;
        super.write(ctx, msg, promise);
    }

    private void tick(ChannelHandlerContext ctx) {
        boolean quiet = writes == writesAtTick;
        writesAtTick = writes; // before the heartbeat: it counts as written at the next tick
        if (quiet) {
            // through the channel, so it is encoded (this handler sits at the socket end)
            ctx.channel().writeAndFlush(Heartbeat.INSTANCE).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        }
    }

    @Override
    public boolean peerQuiet() {
        return clock.getAsLong() - lastReadNanos >= quietNanos;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        long now = clock.getAsLong();
        long quietFor = now - lastReadNanos;
        lastReadNanos = now;
        super.channelRead(ctx, msg);
        if (quietFor >= quietNanos) {
            ctx.fireUserEventTriggered(new PeerHeard(TimeUnit.NANOSECONDS.toMillis(quietFor)));
        }
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        if (event.state() == IdleState.READER_IDLE) {
            ctx.fireUserEventTriggered(new PeerSilent(silenceMillis));
        }
    }
}
