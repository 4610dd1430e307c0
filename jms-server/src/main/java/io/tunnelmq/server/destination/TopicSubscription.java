package io.tunnelmq.server.destination;

import io.tunnelmq.server.queue.PeekLockQueue;

/**
 * A non-durable topic subscription: a peek-lock queue of its own that receives a copy of every message
 * published to the topic while it exists.
 *
 * @param topic        the topic subscribed to
 * @param queue        the subscription's queue
 * @param connectionId the subscribing connection
 * @param noLocal      skip messages published by the subscribing connection
 */
public record TopicSubscription(Topic topic, PeekLockQueue queue, String connectionId, boolean noLocal) {

    boolean wants(String publisherConnectionId) {
        return !(noLocal && connectionId.equals(publisherConnectionId));
    }
}
