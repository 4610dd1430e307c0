package io.tunnelmq.server.destination;

import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.selector.Selector;

/**
 * A non-durable topic subscription: a peek-lock queue of its own that receives a copy of every message
 * published to the topic while it exists.
 *
 * @param topic        the topic subscribed to
 * @param queue        the subscription's queue
 * @param connectionId the subscribing connection
 * @param noLocal      skip messages published by the subscribing connection
 * @param selector     only messages it selects enter the subscription's queue; null = all
 * @param storeId      a durable subscription's id in the message store; 0 for one that is not stored
 */
public record TopicSubscription(Topic topic, PeekLockQueue queue, String connectionId, boolean noLocal,
                                Selector selector, long storeId) {

    /** A subscription that is not stored. */
    public TopicSubscription(Topic topic, PeekLockQueue queue, String connectionId, boolean noLocal,
                             Selector selector) {
        this(topic, queue, connectionId, noLocal, selector, 0);
    }

    /** A subscription to every message. */
    public TopicSubscription(Topic topic, PeekLockQueue queue, String connectionId, boolean noLocal) {
        this(topic, queue, connectionId, noLocal, null);
    }

    boolean wants(String publisherConnectionId) {
        return !(noLocal && connectionId.equals(publisherConnectionId));
    }

    /** Whether a published message enters this subscription: filtered here, so its queue holds only what it selects. */
    boolean wants(String publisherConnectionId, WireMessage message) {
        return wants(publisherConnectionId) && Selector.matches(selector, message);
    }
}
