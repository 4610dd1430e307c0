package io.tunnelmq.jms.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.codec.DirectFrameWriter;
import io.tunnelmq.protocol.frame.Heartbeat;
import io.tunnelmq.protocol.net.LoopTicks;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps the tunnel alive and notices a dead peer: writes a {@link Heartbeat} when nothing was written for an
 * interval, and fires {@link PeerSilent} when nothing was read for three intervals. It sits at the socket end
 * of the pipeline, so every byte read counts as life, even the first bytes of a large frame still on its way.
 *
 * <p>After two silent intervals the peer is <em>quiet</em> ({@link #peerQuiet()}): the broker counts this side dead
 * after three, so the client stops handing out buffered messages until something is read again, and then fires
 * {@link PeerHeard}.
 *
 * <p>One fixed-rate tick every half interval does the rest. Writes are watched by a count, not a clock: a tick that
 * finds nothing written since the previous one writes a heartbeat, so the broker hears something at least once an
 * interval (the handler's start counts as a write); a tick that finds the third silent interval ending before the next
 * tick sets a one-off check for its end, which fires {@link PeerSilent} if nothing was read meanwhile (so a dead broker
 * is noticed three intervals after its last word, 9 s by default). The ticks are the loop's ({@link LoopTicks}), in
 * slots of a grid of {@code System.nanoTime}, so a client holding many connections wakes a few dozen times per tick for
 * all of them rather than once for each, never beats for all in one burst, and keeps no timer per connection; and
 * unlike Netty's idle timers, a write costs no promise and listener.
 */
final class HeartbeatHandler extends ChannelDuplexHandler implements Heartbeats {
    /** A peer that misses this many heartbeat intervals in a row is considered dead. */
    static final int MISSED_INTERVALS = Protocol.MISSED_HEARTBEATS;
    /**
     * A peer that missed this many intervals is quiet. We write at least once an interval, so when the network fails
     * the broker's count of silence is at most one interval ahead of ours: it gives up no earlier than we go quiet.
     * (The broker answers our heartbeats at once and writes at least once an interval and a half: a live broker never
     * leaves us quiet.)
     */
    static final int QUIET_INTERVALS = MISSED_INTERVALS - 1;

    private final long silenceMillis;
    private final long silenceNanos;
    private final long quietNanos;
    private final long tickNanos;
    /** Nanoseconds: {@code System.nanoTime} (a test passes its embedded channel's clock, which it moves by hand). */
    private final LongSupplier clock;
    /** When something was last read, on {@link #clock}; written on the event loop, read anywhere. */
    private volatile long lastReadNanos;
    /** Writes so far and at the last tick; on the event loop. */
    private long writes;
    private long writesAtTick = -1;
    private LoopTicks.Ticking ticks;
    /** The one-off check at the end of the third silent interval, once a tick found it near; or null. */
    private ScheduledFuture<?> silenceCheck;

    HeartbeatHandler(int intervalMillis) {
        this(intervalMillis, System::nanoTime);
    }

    HeartbeatHandler(int intervalMillis, LongSupplier clock) {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("heartbeat interval must be > 0, was " + intervalMillis);
        }
        this.silenceMillis = MISSED_INTERVALS * (long) intervalMillis;
        this.silenceNanos = TimeUnit.MILLISECONDS.toNanos(silenceMillis);
        this.quietNanos = TimeUnit.MILLISECONDS.toNanos(QUIET_INTERVALS * (long) intervalMillis);
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis) / 2;
        this.clock = clock;
        this.lastReadNanos = clock.getAsLong();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        lastReadNanos = clock.getAsLong(); // the handshake was just read
        ticks = LoopTicks.join(ctx.executor(), tickNanos, clock.getAsLong(), () -> tick(ctx));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.channelInactive(ctx);
    }

    private void stop() {
        ticks.cancel();
        if (silenceCheck != null) {
            silenceCheck.cancel(false);
        }
    }

    @Override
    public boolean peerQuiet() {
        return clock.getAsLong() - lastReadNanos >= quietNanos;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long now = clock.getAsLong();
        long quietFor = now - lastReadNanos;
        lastReadNanos = now;
        ctx.fireChannelRead(msg);
        if (quietFor >= quietNanos) {
            ctx.fireUserEventTriggered(new PeerHeard(TimeUnit.NANOSECONDS.toMillis(quietFor)));
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        writes++;
        ctx.write(msg, promise);
    }

    private void tick(ChannelHandlerContext ctx) {
        long silentFor = clock.getAsLong() - lastReadNanos;
        if (silentFor + tickNanos > silenceNanos && silenceCheck == null) {
            silenceCheck = ctx.executor().schedule(() -> checkSilence(ctx), Math.max(0, silenceNanos - silentFor),
                    TimeUnit.NANOSECONDS);
        }
        boolean quiet = writes == writesAtTick;
        writesAtTick = writes; // before the heartbeat: it counts as written at the next tick
        if (quiet) {
            // from the encoder down (this handler sits at the socket end): no flush consolidation, no promise per beat
            DirectFrameWriter.heartbeat(ctx.channel(), FrameTraceHandler.class);
        }
    }

    private void checkSilence(ChannelHandlerContext ctx) {
        silenceCheck = null;
        if (clock.getAsLong() - lastReadNanos >= silenceNanos) {
            ticks.cancel();
            ctx.fireUserEventTriggered(new PeerSilent(silenceMillis));
        }
    }
}
