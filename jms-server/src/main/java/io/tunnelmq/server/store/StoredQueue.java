package io.tunnelmq.server.store;

import java.util.Objects;

/**
 * Where a stored message lives: a queue by name, or a durable subscription by its store id (a subscription's queue
 * has no name that survives a restart).
 *
 * @param queueName      the queue's name, or null for a subscription
 * @param subscriptionId the durable subscription's store id, or 0 for a queue
 */
public record StoredQueue(String queueName, long subscriptionId) {

    public StoredQueue {
        if ((queueName == null) == (subscriptionId == 0)) {
            throw new IllegalArgumentException("a stored queue is either a queue name or a subscription id, was "
                    + queueName + " / " + subscriptionId);
        }
        if (subscriptionId < 0) {
            throw new IllegalArgumentException("subscription id must be > 0, was " + subscriptionId);
        }
    }

    public static StoredQueue queue(String name) {
        return new StoredQueue(Objects.requireNonNull(name, "name"), 0);
    }

    public static StoredQueue subscription(long id) {
        return new StoredQueue(null, id);
    }

    public boolean isSubscription() {
        return subscriptionId != 0;
    }

    @Override
    public String toString() {
        return isSubscription() ? "subscription#" + subscriptionId : queueName;
    }
}
