package io.tunnelmq.server.queue;

/**
 * How long an abandoned (or lock-expired) message waits before it is available again: {@code delayMillis} after
 * its first failed delivery, multiplied by {@code multiplier} for every further one, never more than
 * {@code maxDelayMillis}. A released message (never seen by the application) is not delayed.
 *
 * @param delayMillis    wait after the first failed delivery; 0 = redeliver at once (the default)
 * @param multiplier     growth per further failed delivery, >= 1 (default 2.0)
 * @param maxDelayMillis the longest wait (default 60 s)
 */
public record RedeliveryPolicy(long delayMillis, double multiplier, long maxDelayMillis) {

    /** No delay: an abandoned message is available again at once. */
    public static final RedeliveryPolicy NONE = new RedeliveryPolicy(0, 2.0, 60_000);

    public RedeliveryPolicy {
        if (delayMillis < 0) {
            throw new IllegalArgumentException("redeliveryDelay must be >= 0 ms (0 = none), was " + delayMillis);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("redeliveryMultiplier must be a finite number >= 1.0, was "
                    + multiplier);
        }
        if (maxDelayMillis < 0) {
            throw new IllegalArgumentException("maxRedeliveryDelay must be >= 0 ms, was " + maxDelayMillis);
        }
    }

    /**
     * The wait before the next delivery of a message whose delivery number {@code failedDeliveryCount} failed:
     * {@code delay × multiplier^(failedDeliveryCount − 1)}, capped at the maximum.
     */
    public long delayAfter(int failedDeliveryCount) {
        if (delayMillis == 0 || failedDeliveryCount < 1) {
            return 0;
        }
        double delay = delayMillis * Math.pow(multiplier, failedDeliveryCount - 1);
        return delay >= maxDelayMillis ? maxDelayMillis : (long) delay;
    }
}
