package io.tunnelmq.server.management;

/**
 * One queue as JMX shows it: {@code io.tunnelmq:type=Queue,broker="host:port",name="Q"}, registered when the queue is
 * created and unregistered when it is deleted. Temporary queues have no bean (they come and go by the thousand).
 */
public interface QueueMXBean extends HeldMessages {
    /** Deletes the queue with its waiting messages; refused while it has consumers. */
    void delete();

    /**
     * Sends this dead-letter queue's messages back to their original destinations, delivery count reset (see
     * {@link Management#replayDeadLetters}).
     *
     * @return how many were replayed
     */
    int replayDeadLetters(String selector);
}
