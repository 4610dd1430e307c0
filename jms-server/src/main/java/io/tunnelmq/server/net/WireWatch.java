package io.tunnelmq.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.net.LoopTicks;

import java.util.concurrent.TimeUnit;

/**
 * The first handler of every connection's pipeline: counts the bytes on the wire, in and out (TLS records included),
 * for operators, and once a heartbeat interval is agreed ({@link #heartbeats}) tells the pipeline when one is due.
 * <p>
 * One fixed-rate tick per connection, every half interval, compares the counters with the last tick's: nothing written
 * since then fires {@link IdleStateEvent#WRITER_IDLE_STATE_EVENT} (so the peer hears something at least once an
 * interval; the start counts as a write); nothing read for {@link Protocol#MISSED_HEARTBEATS} intervals (to within half
 * of one) fires {@link IdleStateEvent#READER_IDLE_STATE_EVENT}. A read or a write costs an add: no clock read, no
 * promise and listener per write, no timer of its own and no extra pipeline slot — what Netty's IdleStateHandler takes,
 * times 10,000 connections, is a tenth of the broker's heap per idle connection. The ticks are the loop's
 * ({@link LoopTicks}), in slots of a grid of {@code System.nanoTime}: a broker holding 10,000 idle connections wakes a
 * few dozen times per tick for those of a loop instead of once for each, no loop beats for all its connections in one
 * burst, and a tick is not a timer of its own.
 * <p>
 * <b>An idle connection's heartbeats go in pairs.</b> The client beats once an interval when it has written nothing;
 * the broker answers it at once ({@link #answerDue}), and an answer stands for the tick after it too (the client's
 * next heartbeat, and the answer to it, are an interval away), so the broker beats on its own only when the client is
 * silent or busy. The answer carries the TCP acknowledgement of the client's heartbeat, which each heartbeat otherwise
 * got as a delayed segment of its own: an idle connection costs three segments an interval instead of four, and 10,000
 * idle connections took a seventh less CPU on both sides.
 * <p>
 * The counters are written only by the connection's event loop (volatile, so any thread may read them); the tick runs
 * on the event loop too, and follows the connection when it moves to another loop ({@link #pause}, {@link #resume}).
 */
final class WireWatch extends ChannelDuplexHandler implements Runnable {
    static final String NAME = "wire";
    /** Ticks per heartbeat interval. */
    private static final int TICKS_PER_INTERVAL = 2;

    private volatile long in;
    private volatile long out;
    private ChannelHandlerContext context;
    private LoopTicks.Ticking ticks;
    /** Nanoseconds between ticks; 0 before the clock starts. */
    private long tickNanos;
    /** The slot this connection's ticks fall in ({@link LoopTicks}); -1 before the clock starts. */
    private int slot = -1;
    /** The clock stopped for good (the peer fell silent, or the channel closed). */
    private boolean stopped;
    private long inAtTick;
    private long outAtTick;
    /** Ticks in a row that found nothing read. */
    private int silentTicks;
    /** A heartbeat of the client was answered since the last tick. */
    private boolean answered;
    /** One was answered between the last two ticks: the client's next is due before the tick after this one. */
    private boolean answeredBefore;

    /** The watch of a pipeline, or null. */
    static WireWatch of(ChannelPipeline pipeline) {
        ChannelHandler handler = pipeline.get(NAME);
        return handler instanceof WireWatch watch ? watch : null;
    }

    long in() {
        return in;
    }

    long out() {
        return out;
    }

    /**
     * Whether the peer had fallen silent: nothing read for an interval and a half or more (three ticks in a row, and
     * nothing since the last), while a live peer is heard at least once an interval. On the event loop. Never with
     * heartbeats off.
     */
    boolean fellSilent() {
        return silentTicks > TICKS_PER_INTERVAL && in == inAtTick;
    }

    /**
     * Whether to answer a heartbeat just read from the client: yes while the clock runs, once a tick at most (a flood
     * of heartbeats gets one answer a tick). On the event loop; the caller writes the answer.
     */
    boolean answerDue() {
        if (tickNanos == 0 || stopped || answered) {
            return false;
        }
        answered = true;
        return true;
    }

    /** Starts the heartbeat clock (on the event loop, once). */
    void heartbeats(int intervalMillis) {
        if (tickNanos != 0) {
            throw new IllegalStateException("the heartbeat clock already runs");
        }
        inAtTick = in;
        outAtTick = -1; // the start counts as a write (the Welcome just went): the first beat is an interval away
        tickNanos = Math.max(1, TimeUnit.MILLISECONDS.toNanos(intervalMillis) / TICKS_PER_INTERVAL);
        ticks = LoopTicks.join(context.executor(), tickNanos, System.nanoTime(), this);
        slot = ticks.slot();
    }

    /** Stops the clock while the connection moves to another event loop ({@link LoopMove}), on the old loop. */
    void pause() {
        if (ticks != null) {
            ticks.cancel();
            ticks = null;
        }
    }

    /** Starts the paused clock again, where it stood, on the connection's (new) event loop. */
    void resume() {
        if (tickNanos != 0 && ticks == null && !stopped) {
            // in its slot of the grid, so its ticks stay a tick apart (System.nanoTime: Netty 4.1 has no ticker)
            ticks = LoopTicks.join(context.executor(), tickNanos, slot, System.nanoTime(), this);
        }
    }

    /** A tick: the counters against the last tick's. */
    @Override
    public void run() {
        long read = in;
        long written = out;
        boolean silent = read == inAtTick;
        boolean quiet = written == outAtTick;
        inAtTick = read;
        outAtTick = written; // before a heartbeat: its bytes count as written by the next tick
        silentTicks = silent ? silentTicks + 1 : 0;
        boolean answeredInLastWindow = answeredBefore;
        answeredBefore = answered;
        answered = false;
        if (silentTicks >= TICKS_PER_INTERVAL * Protocol.MISSED_HEARTBEATS) {
            stop();
            context.fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        } else if (quiet && !answeredInLastWindow) {
            context.fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
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

    private void stop() {
        stopped = true;
        pause();
    }
}
