package io.tunnelmq.server.store;

import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireMessage;

/** What {@link MessageStore#recover} finds, in the order the records were first added. */
public interface StoreVisitor {

    /** A durable subscription. */
    void subscription(long id, DurableSubscription subscription);

    /**
     * A stored message.
     *
     * @param deliveryCount the count its next delivery carries (1 if it was never abandoned)
     */
    void message(long id, StoredQueue queue, WireMessage message, int deliveryCount);

    /**
     * A producer of the duplicate window.
     *
     * @param last           its highest stored sequence
     * @param storedAtMillis when that was stored (epoch millis)
     */
    void producer(long id, ProducerStamp last, long storedAtMillis);
}
