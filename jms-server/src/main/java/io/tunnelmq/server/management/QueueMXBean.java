package io.tunnelmq.server.management;

/**
 * One queue as JMX shows it: {@code io.tunnelmq:type=Queue,broker="host:port",name="Q"}, registered when the queue is
 * created and unregistered when it is deleted. Temporary queues have no bean (they come and go by the thousand).
 */
public interface QueueMXBean {
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
     * Removes every message waiting on the queue (over a store shared with other brokers, on all of them); locked
     * ones stay with their consumers.
     *
     * @return how many were removed
     */
    int purge();

    /** Deletes the queue with its waiting messages; refused while it has consumers. */
    void delete();

    /**
     * The queue's messages, locked and scheduled ones included, as a text table (see {@link Management#browse}).
     *
     * @param selector a JMS message selector, or empty for all
     * @param max      the most messages shown
     */
    String browse(String selector, int max);

    /**
     * Moves (or copies) the waiting messages the selector chooses to another queue (see
     * {@link Management#moveMessages}); locked messages stay.
     *
     * @return how many were moved
     */
    int moveMessages(String toQueue, String selector, boolean copy);

    /**
     * Sends this dead-letter queue's messages back to their original destinations, delivery count reset (see
     * {@link Management#replayDeadLetters}).
     *
     * @return how many were replayed
     */
    int replayDeadLetters(String selector);
}
