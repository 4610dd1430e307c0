package io.tunnelmq.jms.failover;

/**
 * The waits between reconnect attempts after one loss: the first attempt at once, then the initial delay, growing
 * by the multiplier each time up to the maximum. Not thread-safe: the reconnector uses it under its connection's
 * lock.
 */
final class Backoff {
    private final long initialMillis;
    private final double multiplier;
    private final long maxMillis;
    private long attempts;
    private long last;

    Backoff(FailoverOptions options) {
        this.initialMillis = options.initialDelayMillis();
        this.multiplier = options.multiplier();
        this.maxMillis = options.maxDelayMillis();
    }

    /** The wait before the next attempt. */
    long next() {
        long delay;
        if (attempts == 0) {
            delay = 0;
        } else if (attempts == 1) {
            delay = Math.min(initialMillis, maxMillis);
        } else {
            delay = (long) Math.min((double) maxMillis, last * multiplier);
        }
        attempts++;
        last = delay;
        return delay;
    }
}
