package io.tunnelmq.server.destination;

import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.store.StoredQueue;

import java.util.concurrent.CompletableFuture;

/** A consumer's hold on a named subscription ({@link Subscriptions#attach}); give it back with {@link Subscriptions#detach}. */
public final class SubscriptionLease {
    private final SubscriptionEntry entry;
    private final CompletableFuture<Void> stored;
    /** Guarded by the monitor of {@link Subscriptions}. */
    private boolean released;

    SubscriptionLease(SubscriptionEntry entry, CompletableFuture<Void> stored) {
        this.entry = entry;
        this.stored = stored;
    }

    /** The subscription's queue, which the consumer takes from. */
    public PeekLockQueue queue() {
        return entry.queue;
    }

    /** Where the subscription's messages are in the store; null for a subscription that is not stored. */
    public StoredQueue storedQueue() {
        return entry.storeId > 0 ? StoredQueue.subscription(entry.storeId) : null;
    }

    /**
     * Completes once the subscription is in the store, so publications through other brokers sharing it reach it (at
     * once without such brokers), and held there for this broker's consumers: the consumer starts then. Fails with a
     * {@link BrokerException} when another broker holds it with other terms, or has consumers of the durable
     * subscription this consumer would replace.
     */
    public CompletableFuture<Void> stored() {
        return stored;
    }

    SubscriptionEntry entry() {
        return entry;
    }

    /** @return whether it was held until now (false: given back before) */
    boolean release() {
        boolean was = !released;
        released = true;
        return was;
    }
}
