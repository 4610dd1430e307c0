package io.tunnelmq.server.destination;

import io.tunnelmq.server.store.Storage;
import io.tunnelmq.server.store.StoreOp;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Subscriptions in the store shared with other brokers, and the writes that put them there: a non-durable
 * subscription is stored too (it lives on this broker, and goes with it), because a publication through another
 * broker reaches only the subscriptions the store holds. A consumer on a subscription is answered only once it is
 * stored ({@link #whenStored}), so what is published after its creation returned reaches it wherever it is sent.
 */
final class BrokerSubscriptions {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Storage storage;
    private final Map<Long, CompletableFuture<Void>> writing = new ConcurrentHashMap<>();

    BrokerSubscriptions(Storage storage) {
        this.storage = storage;
    }

    /** Stores a non-durable subscription of this broker to {@code topic}. @return its store id */
    long add(String topic) {
        long id = storage.ids().next();
        storing(id, storage.persistent().write(List.of(new StoreOp.AddBrokerSubscription(id, topic))));
        return id;
    }

    /** Removes a non-durable subscription (and the copies stored for it). */
    void remove(long id) {
        writing.remove(id);
        storage.persistent().writeLazily(List.of(new StoreOp.RemoveSubscription(id)));
    }

    /** The write that stores subscription {@code id}, waited for by {@link #whenStored} until it completes. */
    void storing(long id, CompletableFuture<Void> write) {
        if (write.isDone() && !write.isCompletedExceptionally()) {
            return;
        }
        writing.put(id, write);
        write.thenRun(() -> writing.remove(id, write)); // a failed one stays: its consumer is refused

    }

    CompletableFuture<Void> whenStored(long id) {
        return writing.getOrDefault(id, DONE);
    }
}
