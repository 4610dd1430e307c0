package io.tunnelmq.server.queue;

/**
 * What a queue tells the message store about stored messages (store id != 0) that change or go without a client
 * asking: a raised delivery count (abandon, lock expiry) and a message dropped (expired with no expiry queue, or its
 * queue retired). Completions are recorded by the session that settles, moves by the {@link DeadLetterSink}. Called
 * outside the queue's lock; must not block.
 */
public interface StoredMessageEvents {
    /** Records nothing: a broker that stores nothing. */
    StoredMessageEvents NONE = new StoredMessageEvents() {
        @Override
        public void deliveryCountChanged(long storeId, int deliveryCount) {
        }

        @Override
        public void dropped(long storeId) {
        }
    };

    /** The message's next delivery carries this count. */
    void deliveryCountChanged(long storeId, int deliveryCount);

    /** The message is gone from its queue without being delivered. */
    void dropped(long storeId);
}
