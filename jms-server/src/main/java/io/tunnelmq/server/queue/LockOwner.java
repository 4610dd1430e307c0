package io.tunnelmq.server.queue;

/**
 * Who holds the locks a queue hands out: a client session. Locks belong to the owner, not to the consumer,
 * so they outlive a closed consumer. Both callbacks run while the queue's lock is held: they must be quick,
 * must not block and must not call back into any queue.
 */
public interface LockOwner {

    /** A message was locked to this owner; the delivery is about to be handed to the consumer. */
    void lockTaken(Delivery delivery);

    /**
     * A lock of this owner ended: settled, abandoned on close, or expired.
     *
     * @param expired true when the lock ran out before it was settled
     */
    void lockEnded(long lockToken, boolean expired);

    /** The id of the client connection this owner belongs to, for operators (who holds this lock?); null if none. */
    default String connectionId() {
        return null;
    }
}
