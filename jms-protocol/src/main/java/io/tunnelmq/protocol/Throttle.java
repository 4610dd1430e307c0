package io.tunnelmq.protocol;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a thing happen at most once per interval, whichever thread asks: a warning logged at most once a minute
 * however often its cause recurs. The first ask passes. Thread-safe, lock-free.
 */
public final class Throttle {
    private final long intervalNanos;
    private final AtomicLong last;

    public Throttle(long interval, TimeUnit unit) {
        this.intervalNanos = unit.toNanos(interval);
        this.last = new AtomicLong(System.nanoTime() - intervalNanos - 1);
    }

    /** At most once a minute. */
    public static Throttle perMinute() {
        return new Throttle(1, TimeUnit.MINUTES);
    }

    /** Whether the interval passed since the last ask that passed; if so, this one passes (and only this one). */
    public boolean pass() {
        long now = System.nanoTime();
        long before = last.get();
        return now - before > intervalNanos && last.compareAndSet(before, now);
    }
}
