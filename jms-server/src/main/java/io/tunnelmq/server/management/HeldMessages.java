package io.tunnelmq.server.management;

/**
 * What JMX shows of a queue and of a named topic subscription alike ({@link QueueMXBean}, {@link SubscriptionMXBean}):
 * the messages it holds, what it has done with them, and the operations on its waiting messages.
 */
public interface HeldMessages {
    /** The name operators know it by: a queue's name, or a subscription's {@code topic:clientId.name}. */
    String getName();

    /** Messages held: available + locked + scheduled. */
    long getMessages();

    long getAvailable();

    long getLocked();

    long getScheduled();

    /** Messages paged out of memory: their bodies are on disk only until a consumer is about to get them. */
    long getPaged();

    int getConsumers();

    long getBytes();

    long getEnqueued();

    long getDelivered();

    long getCompleted();

    long getAbandoned();

    long getLockExpired();

    long getExpired();

    long getDeadLettered();

    long getRevoked();

    long getPurged();

    /** How long the oldest available message has waited; 0 when none waits. */
    long getOldestMessageAgeMillis();

    /**
     * Removes every waiting message (over a store shared with other brokers, on all of them); locked ones stay with
     * their consumers.
     *
     * @return how many were removed
     */
    int purge();

    /**
     * The messages held, locked and scheduled ones included, as a text table (see {@link Management#browse}).
     *
     * @param selector a JMS message selector, or empty for all
     * @param max      the most messages shown
     */
    String browse(String selector, int max);

    /**
     * Moves (or copies) the waiting messages the selector chooses to a queue (see {@link Management#moveMessages});
     * locked messages stay.
     *
     * @return how many were moved
     */
    int moveMessages(String toQueue, String selector, boolean copy);
}
