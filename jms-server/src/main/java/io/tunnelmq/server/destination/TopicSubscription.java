package io.tunnelmq.server.destination;

import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.selector.Selector;

/**
 * A topic subscription: a peek-lock queue of its own that receives a copy of every message published to the topic
 * (that its selector chooses) while it exists. Identity is the object: a topic holds each once.
 */
public final class TopicSubscription {
    private final Topic topic;
    private final PeekLockQueue queue;
    private final boolean noLocal;
    private final Selector selector;
    private final long storeId;
    /** Written under the named subscriptions' monitor, read by publishers and claims. */
    private volatile String connectionId;

    /**
     * @param topic        the topic subscribed to
     * @param queue        the subscription's queue
     * @param connectionId the subscribing connection
     * @param noLocal      skip messages published by the connection that consumes it now
     * @param selector     only messages it selects enter the subscription's queue; null = all
     * @param storeId      a durable subscription's id in the message store; 0 for one that is not stored
     */
    public TopicSubscription(Topic topic, PeekLockQueue queue, String connectionId, boolean noLocal,
                             Selector selector, long storeId) {
        this.topic = topic;
        this.queue = queue;
        this.connectionId = connectionId;
        this.noLocal = noLocal;
        this.selector = selector;
        this.storeId = storeId;
    }

    public Topic topic() {
        return topic;
    }

    public PeekLockQueue queue() {
        return queue;
    }

    /** The connection that consumes it now (for a named one: since its last consumer attached). */
    public String connectionId() {
        return connectionId;
    }

    public boolean noLocal() {
        return noLocal;
    }

    /** Its selector; null for all messages. */
    public Selector selector() {
        return selector;
    }

    /** A durable subscription's id in the message store; 0 for one that is not stored. */
    public long storeId() {
        return storeId;
    }

    /**
     * A named subscription's consumer now comes from {@code connection}: noLocal skips that connection's publications
     * from now on, here and in what its broker claims from a store shared with other brokers.
     */
    void follow(String connection) {
        connectionId = connection;
    }

    /** Whether it takes what that connection publishes (noLocal: not from the connection that consumes it now). */
    public boolean takesFrom(String publisherConnectionId) {
        return !(noLocal && connectionId.equals(publisherConnectionId));
    }

    /** Whether a published message enters this subscription: filtered here, so its queue holds only what it selects. */
    boolean wants(String publisherConnectionId, WireMessage message) {
        return takesFrom(publisherConnectionId) && Selector.matches(selector, message);
    }

    @Override
    public String toString() {
        return "subscription " + queue.name() + " of topic " + topic.name();
    }
}
