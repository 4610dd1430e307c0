package io.tunnelmq.jms.faults;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One direction of a proxied connection: bytes read from {@code source} are written to {@code sink} once their
 * delay has passed, unless the pipe is stalled. Confined to the proxy's event loop.
 *
 * <p>A stalled pipe stops reading its source, so the sender's socket buffers fill and it sees what a dead network
 * looks like: writes that go nowhere, no error, no close.
 */
final class Pipe {
    private record Chunk(long dueNanos, ByteBuf bytes) {
    }

    private final Channel source;
    private final Channel sink;
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private boolean stalled;
    private long delayNanos;
    private boolean sourceClosed;
    private ScheduledFuture<?> drainLater;

    Pipe(Channel source, Channel sink) {
        this.source = source;
        this.sink = sink;
    }

    void arrived(ByteBuf bytes) {
        chunks.add(new Chunk(System.nanoTime() + delayNanos, bytes));
        drain();
    }

    void stall(boolean stall) {
        stalled = stall;
        drain();
        updateReading();
    }

    void delay(long nanos) {
        delayNanos = nanos;
    }

    /** The source closed: what it sent still goes through (after its delay, once not stalled), then the sink closes. */
    void sourceClosed() {
        sourceClosed = true;
        drain();
    }

    /** The sink's writability changed: read from the source only while the sink keeps up. */
    void updateReading() {
        source.config().setAutoRead(!stalled && sink.isWritable());
    }

    /** Drops whatever is held (the connection is gone). */
    void discard() {
        chunks.forEach(c -> c.bytes().release());
        chunks.clear();
        if (drainLater != null) {
            drainLater.cancel(false);
            drainLater = null;
        }
    }

    /** The scheduled drain: it is not done while it runs, so it clears itself first or it could not schedule again. */
    private void drainLater() {
        drainLater = null;
        drain();
    }

    private void drain() {
        if (stalled) {
            return;
        }
        long now = System.nanoTime();
        boolean wrote = false;
        while (!chunks.isEmpty() && chunks.peek().dueNanos() <= now) {
            sink.write(chunks.poll().bytes());
            wrote = true;
        }
        if (wrote) {
            sink.flush();
        }
        if (!chunks.isEmpty()) {
            if (drainLater == null) {
                drainLater = sink.eventLoop().schedule(this::drainLater, chunks.peek().dueNanos() - now,
                        TimeUnit.NANOSECONDS);
            }
        } else if (sourceClosed) {
            sink.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
