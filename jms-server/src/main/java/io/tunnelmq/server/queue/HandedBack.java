package io.tunnelmq.server.queue;

/**
 * A waiting message a queue gave back to a store shared with other brokers ({@link SharedBacklog#handBack}): gone
 * from the queue, still in the store under its id, with the count its next delivery carries and when it may be
 * delivered (0: at once; later for a redelivery delay or delivery time not reached yet). Declined: none of the queue's
 * consumers selects it, so this broker should not claim it again until they change. Waiting since: when it began to
 * wait here ({@link System#nanoTime}, as {@link QueuedMessage#waitingAgainSince}; 0: since it arrived), so that a
 * purge across the brokers that passed it by as held here while it waited takes it still.
 */
public record HandedBack(long storeId, int deliveryCount, long deliverAtMillis, boolean declined, long waitingSince) {
}
