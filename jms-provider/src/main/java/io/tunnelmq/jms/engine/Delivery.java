package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.message.WireMessage;

/**
 * A message delivered to a consumer, locked to its session.
 *
 * @param consumerId    the consumer
 * @param lockToken     the lock, for settlement
 * @param deliveryCount 1 on first delivery
 * @param lockedUntil   epoch millis at which the broker unlocks the message unless settled or renewed
 * @param message       the message
 */
public record Delivery(int consumerId, long lockToken, int deliveryCount, long lockedUntil, WireMessage message) {
}
