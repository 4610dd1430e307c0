package io.tunnelmq.server.queue;

import io.tunnelmq.server.selector.Selector;

/** A consumer attached to a queue. The queue delivers to it while it has credit. */
public interface QueueConsumer {

    /** The owner of the locks this consumer's deliveries take. */
    LockOwner owner();

    /** The lock duration this consumer asked for, or 0 for the queue's setting. */
    long lockDurationMillis();

    /**
     * Takes one delivery. Called outside the queue's lock, in the order the queue locked the messages, possibly
     * on any broker thread: it must hand the delivery off (to the connection's event loop) and return.
     */
    void deliver(Delivery delivery);

    /**
     * Asks the consumer's client to give back these prefetched deliveries (it releases those its application has
     * not taken), so an idle competing consumer can have them. Called outside the queue's lock, on any broker
     * thread: it must hand off and return. A consumer that cannot give anything back ignores it.
     */
    default void revoke(long[] lockTokens) {
    }

    /**
     * Whether the consumer's connection can take more deliveries now. The queue skips a consumer whose connection
     * is not writable (its socket is slower than the queue) and resumes it on {@link QueueConsumers#resume}.
     * Thread-safe and cheap: called while dispatching.
     */
    default boolean isWritable() {
        return true;
    }

    /**
     * The messages this consumer takes: null for all. The queue skips messages it does not select, which stay
     * available for other consumers. Read once, when the consumer is attached.
     */
    default Selector selector() {
        return null;
    }
}
