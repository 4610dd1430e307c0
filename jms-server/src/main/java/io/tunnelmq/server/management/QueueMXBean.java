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

    /** Messages paged out to disk: always 0, the broker does not page yet. */
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
     * Removes every message waiting on the queue; locked ones stay with their consumers.
     *
     * @return how many were removed
     */
    int purge();

    /** Deletes the queue with its waiting messages; refused while it has consumers. */
    void delete();
}
