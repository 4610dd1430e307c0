package io.tunnelmq.server.queue;

/**
 * A snapshot of a queue, for tests, monitoring and logs.
 *
 * @param available messages waiting for a consumer
 * @param locked    messages delivered and locked, not yet settled
 * @param scheduled messages whose delivery time has not come yet
 * @param delivered deliveries made since the queue was created (redeliveries included)
 * @param consumers consumers attached now
 * @param bytes     estimated bytes of the messages the queue holds
 * @param pagedOut  messages among them whose body is on disk only (paged out of memory)
 */
public record QueueStats(long available, long locked, long scheduled, long delivered, int consumers, long bytes,
                         long pagedOut) {

    /** A snapshot of a queue that pages nothing. */
    public QueueStats(long available, long locked, long scheduled, long delivered, int consumers, long bytes) {
        this(available, locked, scheduled, delivered, consumers, bytes, 0);
    }

    /** Messages the queue holds in any state: available, locked or scheduled. */
    public long depth() {
        return available + locked + scheduled;
    }
}
