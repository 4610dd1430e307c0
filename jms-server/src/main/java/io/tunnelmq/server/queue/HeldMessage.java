package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.WireMessage;

/**
 * A message a queue holds, with its peek-lock state, as an operator sees it ({@link PeekLockQueue#inspect}).
 *
 * @param message       the message
 * @param state         available, locked or scheduled
 * @param deliveryCount the count its next (or current) delivery carries
 * @param owner         who holds its lock; null unless locked
 * @param lockedUntil   when its lock ends (epoch millis on the broker's clock); 0 unless locked
 * @param cursor        continues an inspection right after this message
 * @param storeId       its id in the message store; 0 when it is not stored
 */
public record HeldMessage(WireMessage message, State state, int deliveryCount, LockOwner owner, long lockedUntil,
                          long cursor, long storeId) {

    /** Where a held message is in its life on the queue. */
    public enum State {
        /** Waiting for a consumer. */
        AVAILABLE,
        /** Delivered to a consumer, not settled yet. */
        LOCKED,
        /** Waiting for its delivery time or its redelivery delay. */
        SCHEDULED
    }
}
