package io.tunnelmq.server.queue;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.TimeUnit;

/**
 * The broker's one timer: a hashed wheel on a single daemon thread, cheap for the many short-lived lock
 * timeouts a busy queue creates. Precision is one tick (10 ms), plenty for lock durations.
 */
public final class WheelTimer implements QueueTimer, AutoCloseable {
    private final HashedWheelTimer wheel;

    public WheelTimer() {
        wheel = new HashedWheelTimer(new DefaultThreadFactory("tmq-broker-timer", true), 10, TimeUnit.MILLISECONDS,
                512);
    }

    @Override
    public long now() {
        return System.currentTimeMillis();
    }

    @Override
    public Cancellable schedule(Runnable task, long delayMillis) {
        Timeout timeout = wheel.newTimeout(t -> task.run(), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
        return timeout::cancel;
    }

    /** Stops the timer thread; pending tasks never run. */
    @Override
    public void close() {
        wheel.stop();
    }
}
