package io.tunnelmq.server.destination;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.server.store.DurableSubscription;
import io.tunnelmq.server.store.StoreIds;
import io.tunnelmq.server.store.SharedQueues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * This broker's holds on shared non-durable subscriptions in a store shared with other brokers: a consumer of one on
 * any broker competes with the consumers on every other, so the subscription is one row of the store that lives while
 * some broker holds it ({@link SharedQueues#holdSubscription}). A broker holds it from its first consumer of it to its
 * last; the holds and give-backs of one subscription go to the store one after another, in the order made here, so a
 * give-back never overtakes the hold of the next consumer. Thread-safe.
 */
final class SubscriptionHolds {
    private static final Logger log = LoggerFactory.getLogger(SubscriptionHolds.class);

    private record Name(String clientId, String name) {
    }

    private final SharedQueues shared;
    private final StoreIds ids;
    /** Per subscription, the last store call made for it while it is on its way. Guarded by this. */
    private final Map<Name, CompletableFuture<?>> pending = new HashMap<>();

    SubscriptionHolds(SharedQueues shared, StoreIds ids) {
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
        return after(new Name(r.clientId(), r.name()), () -> shared.holdSubscription(proposed, terms))
                .thenApply(held -> {
                    DurableSubscription stored = held.terms();
                    if (!stored.topic().equals(r.topicName()) || !Objects.equals(stored.selector(), r.selector())) {
                        throw new BrokerException(ErrorCode.INVALID_SUBSCRIPTION, "shared subscription '" + r.name()
                                + "' is in use through another broker on topic '" + stored.topic() + "' with selector "
                                + Subscriptions.quote(stored.selector()) + "; it cannot be shared with a consumer for"
                                + " topic '" + r.topicName() + "' with selector " + Subscriptions.quote(r.selector())
                                + " (use the same topic and selector, or another subscription name)");
                    }
                    return held.id();
                });
    }

    /** Gives back what {@code hold} held of that subscription, once it is held (nothing if the hold failed). */
    void giveBack(String clientId, String name, CompletableFuture<Long> hold) {
        after(new Name(clientId, name), () -> hold.handle((id, e) -> id)
                .thenCompose(id -> id == null ? CompletableFuture.completedFuture(null)
                        : shared.giveBackSubscription(id)))
                .exceptionally(e -> {
                    log.warn("could not give shared subscription '{}' back in the store: it stays there until this"
                            + " broker stops or is taken for dead: {}", name, e.toString());
                    return null;
                });
    }

    /** Runs {@code call} once the calls made before for the same subscription completed. */
    private synchronized <T> CompletableFuture<T> after(Name name, Supplier<CompletableFuture<T>> call) {
        CompletableFuture<?> before = pending.getOrDefault(name, CompletableFuture.completedFuture(null));
        CompletableFuture<T> next = before.handle((v, e) -> null).thenCompose(v -> call.get());
        pending.put(name, next);
        next.whenComplete((v, e) -> forget(name, next));
        return next;
    }

    private synchronized void forget(Name name, CompletableFuture<?> call) {
        pending.remove(name, call);
    }
}
