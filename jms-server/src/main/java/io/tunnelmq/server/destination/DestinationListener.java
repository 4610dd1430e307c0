package io.tunnelmq.server.destination;

import io.tunnelmq.server.queue.PeekLockQueue;

/**
 * Told when the broker's queues and subscriptions come and go, so that monitoring can follow (JMX beans, totals of
 * queues that went away). Called on the thread that made the change, outside the registry's maps' locks; keep it
 * quick.
 */
public interface DestinationListener {
    /** Listens to nothing. */
    DestinationListener NONE = new DestinationListener() {
    };

    /** A queue of the registry was created ({@code temporary}: a temporary queue). */
    default void queueCreated(PeekLockQueue queue, boolean temporary) {
    }

    /** A queue of the registry was removed (deleted by an operator, or a temporary queue that went). */
    default void queueRemoved(PeekLockQueue queue, boolean temporary) {
    }

    /**
     * A named (durable or shared) subscription was made, recovered from the store, or learned from another broker
     * sharing it. Called under the lock of the broker's named subscriptions, in order with
     * {@link #namedSubscriptionRemoved}: keep it quick.
     */
    default void namedSubscriptionCreated(NamedSubscription subscription) {
    }

    /** A named subscription went: unsubscribed, replaced, or (shared non-durable) its last consumer closed. */
    default void namedSubscriptionRemoved(NamedSubscription subscription) {
    }

    /**
     * A topic subscription ended and its queue retired.
     *
     * @param named whether it was a named (durable or shared) subscription
     */
    default void subscriptionEnded(TopicSubscription subscription, boolean named) {
    }
}
