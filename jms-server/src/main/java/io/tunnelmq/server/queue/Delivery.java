package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.WireMessage;

/**
 * A message locked to a consumer's owner.
 *
 * @param queue         the queue that holds the lock (settle through it)
 * @param consumer      the consumer it is for
 * @param lockToken     identifies the lock; unique within the broker
 * @param deliveryCount 1 on the first delivery, raised by every abandon or expiry
 * @param lockedUntil   epoch millis at which the lock expires unless settled or renewed
 * @param message       the message
 * @param storeId       the message's store id, 0 if it is not stored
 */
public record Delivery(PeekLockQueue queue, QueueConsumer consumer, long lockToken, int deliveryCount,
                       long lockedUntil, WireMessage message, long storeId) {

    /** A delivery of a message that is not stored. */
    public Delivery(PeekLockQueue queue, QueueConsumer consumer, long lockToken, int deliveryCount, long lockedUntil,
                    WireMessage message) {
        this(queue, consumer, lockToken, deliveryCount, lockedUntil, message, 0);
    }
}
