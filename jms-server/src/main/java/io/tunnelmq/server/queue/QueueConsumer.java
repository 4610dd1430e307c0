package io.tunnelmq.server.queue;

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
}
