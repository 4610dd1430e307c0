package io.tunnelmq.jms.engine;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivery credit of one consumer, following the application rather than the network: the broker starts with
 * the prefetch as credit, and gets more only as the application takes messages out of the facade's buffer —
 * in batches of half the prefetch, so a consumer that keeps up costs one {@code Credit} frame per half
 * prefetch, and one that stalls stops the broker after at most {@code prefetch} messages.
 *
 * <p>Thread-safe: application threads report what they took, and only the thread that reaches the
 * threshold gets a grant to send.
 */
final class ConsumerCredit {
    private final int prefetch;
    private final int threshold;
    private final AtomicInteger taken = new AtomicInteger();

    ConsumerCredit(int prefetch) {
        if (prefetch < 0) {
            throw new IllegalArgumentException("prefetch must be >= 0, was " + prefetch);
        }
        this.prefetch = prefetch;
        this.threshold = Math.max(1, prefetch / 2);
    }

    /** The credit the consumer opens with. */
    int initialCredit() {
        return prefetch;
    }

    /**
     * The application took {@code count} messages.
     *
     * @return credit to grant the broker now, or 0 to wait for more to be taken
     */
    int taken(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("taken count must be >= 0, was " + count);
        }
        if (prefetch == 0 || count == 0) {
            return 0; // with no prefetch the application pulls each message itself
        }
        while (true) {
            int before = taken.get();
            int after = before + count;
            if (after < threshold) {
                if (taken.compareAndSet(before, after)) {
                    return 0;
                }
            } else if (taken.compareAndSet(before, 0)) {
                return after;
            }
        }
    }

    /**
     * The application wants one message now. Only a consumer without prefetch asks for messages one at a
     * time; with prefetch the credit already covers it, and extra credit would grow the prefetch for good.
     *
     * @return credit to grant the broker now
     */
    int pull() {
        return prefetch == 0 ? 1 : 0;
    }

    int prefetch() {
        return prefetch;
    }
}
