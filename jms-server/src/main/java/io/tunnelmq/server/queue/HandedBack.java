package io.tunnelmq.server.queue;

/**
 * A waiting message a queue gave back to a store shared with other brokers ({@link SharedBacklog#handBack}): gone
 * from the queue, still in the store under its id, with the count its next delivery carries and when it may be
 * delivered (0: at once; later for a redelivery delay or delivery time not reached yet). Declined: none of the queue's
 * consumers selects it, so this broker should not claim it again until they change.
 */
public record HandedBack(long storeId, int deliveryCount, long deliverAtMillis, boolean declined) {
    public HandedBack(long storeId, int deliveryCount, long deliverAtMillis) {
        this(storeId, deliveryCount, deliverAtMillis, false);
    }
}
