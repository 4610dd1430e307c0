package io.tunnelmq.server.queue;

import java.util.Objects;

/**
 * How a queue treats its locks.
 *
 * @param lockDurationMillis how long a delivered message stays locked unless settled or renewed (a consumer
 *                           may ask for another duration)
 * @param maxDeliveryCount   deliveries after which an abandon or lock expiry moves the message to the
 *                           dead-letter queue instead of making it available again
 * @param redelivery         how long an abandoned or expired message waits before it is available again
 */
public record QueueSettings(long lockDurationMillis, int maxDeliveryCount, RedeliveryPolicy redelivery) {

    public QueueSettings {
        if (lockDurationMillis <= 0) {
            throw new IllegalArgumentException("lock duration must be > 0 ms, was " + lockDurationMillis);
        }
        if (maxDeliveryCount < 1) {
            throw new IllegalArgumentException("max delivery count must be >= 1, was " + maxDeliveryCount);
        }
        Objects.requireNonNull(redelivery, "redelivery");
    }

    /** Settings that redeliver an abandoned message at once. */
    public QueueSettings(long lockDurationMillis, int maxDeliveryCount) {
        this(lockDurationMillis, maxDeliveryCount, RedeliveryPolicy.NONE);
    }
}
