package io.tunnelmq.server.destination;

import io.tunnelmq.server.store.DurableSubscription;
import io.tunnelmq.server.store.StoreIds;
import io.tunnelmq.server.store.SharedSubscriptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * This broker's holds on named subscriptions in a store shared with other brokers. A consumer of a shared non-durable
 * subscription on any broker competes with the consumers on every other, so the subscription is one row of the store
 * that lives while some broker holds it ({@link SharedSubscriptions#holdShared}); a durable one is held too, so that
 * no broker replaces or unsubscribes it while another has consumers of it ({@link SharedSubscriptions#removeUnheld}). A
 * broker holds a subscription from its first consumer of it to its last; the store calls of one subscription go one
 * after another, in the order made here, so a give-back never overtakes the hold of the next consumer, nor a removal
 * the give-back before it. Thread-safe.
 */
final class SubscriptionHolds {
    private static final Logger log = LoggerFactory.getLogger(SubscriptionHolds.class);

    private final SharedSubscriptions shared;
    private final StoreIds ids;
    /** Per subscription, the last store call made for it while it is on its way. Guarded by this. */
    private final Map<SubscriptionEntry.Key, CompletableFuture<?>> pending = new HashMap<>();

    SubscriptionHolds(SharedSubscriptions shared, StoreIds ids) {
        this.shared = shared;
        this.ids = ids;
    }

    /**
     * Holds the subscription for this broker, made in the store if no broker holds it.
     *
     * @return completes with its store id; fails with {@code INVALID_SUBSCRIPTION} when it is in use through another
     * broker with another topic or selector
     */
    CompletableFuture<Long> hold(Subscriptions.Request r) {
        DurableSubscription terms = new DurableSubscription(r.clientId(), r.name(), r.topicName(), r.selector(), false,
                true);
        long proposed = ids.next();
        SubscriptionEntry.Key key = new SubscriptionEntry.Key(r.clientId(), r.name(), false);
        return after(key, () -> shared.holdShared(proposed, terms))
                .thenApply(held -> {
                    DurableSubscription stored = held.terms();
                    if (!stored.topic().equals(r.topicName()) || !Objects.equals(stored.selector(), r.selector())) {
                        throw SubscriptionRefusals.sharedElsewhere(r, stored);
                    }
                    return held.id();
                });
    }

    /**
     * Makes, joins or replaces the durable subscription of {@code terms} in the store for this broker's first consumer
     * of it ({@link SharedSubscriptions#holdDurable(long, DurableSubscription)}).
     *
     * @return completes with the subscription as stored: held for this broker when its terms are {@code terms}
     */
    CompletableFuture<SharedSubscriptions.Held> makeDurable(SubscriptionEntry.Key key, long proposed,
                                                            DurableSubscription terms) {
        return after(key, () -> shared.holdDurable(proposed, terms));
    }

    /**
     * Holds the stored durable subscription {@code storeId} for this broker.
     *
     * @return completes with its store id, or null when it was removed through another broker meanwhile
     */
    CompletableFuture<Long> holdDurable(SubscriptionEntry.Key key, long storeId) {
        return after(key, () -> shared.holdDurable(storeId)).thenApply(found -> found ? storeId : null);
    }

    /**
     * Removes the stored durable subscription {@code storeId} with its messages, unless another broker holds it.
     *
     * @return completes with whether it was removed (or was gone already)
     */
    CompletableFuture<Boolean> removeUnheld(SubscriptionEntry.Key key, long storeId) {
        return after(key, () -> shared.removeUnheld(storeId));
    }

    /**
     * Gives back what {@code hold} held of that subscription, once it is held (nothing if the hold failed).
     *
     * @return completes once the store took it back, or failed to (logged: the hold stays until this broker goes)
     */
    CompletableFuture<Void> giveBack(SubscriptionEntry.Key key, CompletableFuture<Long> hold) {
        return after(key, () -> hold.handle((id, e) -> id)
                .thenCompose(id -> id == null ? CompletableFuture.completedFuture(null)
                        : shared.giveBack(id)))
                .exceptionally(e -> {
                    log.warn("could not give subscription '{}' back in the store: it stays held there until this"
                            + " broker stops or is taken for dead: {}", key.name(), e.toString());
                    return null;
                });
    }

    /** Runs {@code call} once the calls made before for the same subscription completed. */
    private synchronized <T> CompletableFuture<T> after(SubscriptionEntry.Key name,
                                                        Supplier<CompletableFuture<T>> call) {
        CompletableFuture<?> before = pending.getOrDefault(name, CompletableFuture.completedFuture(null));
        CompletableFuture<T> next = before.handle((v, e) -> null).thenCompose(v -> call.get());
        pending.put(name, next);
        next.whenComplete((v, e) -> forget(name, next));
        return next;
    }

    private synchronized void forget(SubscriptionEntry.Key name, CompletableFuture<?> call) {
        pending.remove(name, call);
    }
}
