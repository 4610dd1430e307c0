package io.tunnelmq.server.destination;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.server.selector.Selector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The durable subscriptions of {@link Subscriptions} over a store shared with other brokers, whose consumers may be on
 * any of them. This broker holds a stored durable subscription from its first consumer of it to its last
 * ({@link SubscriptionHolds#holdDurable}), and removes one, for an unsubscribe or a consumer with other terms, only
 * while no other broker holds it ({@link SubscriptionHolds#removeUnheld}): JMS refuses both while the subscription
 * has active consumers, wherever they are. Each answer comes from the store, so the unsubscribe and the replacing
 * consumer wait for it; meanwhile the subscription is marked (an unsubscribe) or stands aside (a replacement).
 *
 * <p>Called under the monitor of its {@link Subscriptions}; the store's answers take that monitor too.
 */
final class DurableHolds {
    private static final Logger log = LoggerFactory.getLogger(DurableHolds.class);

    private final Subscriptions monitor;
    private final SubscriptionEntries entries;
    private final DestinationRegistry destinations;
    private final SubscriptionHolds holds;

    DurableHolds(Subscriptions monitor, SubscriptionEntries entries, DestinationRegistry destinations,
                 SubscriptionHolds holds) {
        this.monitor = monitor;
        this.entries = entries;
        this.destinations = destinations;
        this.holds = holds;
    }

    /**
     * A consumer attached: the first one of a stored durable subscription here holds it, and its lease (every lease
     * until the last consumer here closes) waits for the hold.
     */
    void hold(SubscriptionEntry entry) {
        if (!entry.key.durable() || entry.storeId == 0 || entry.subscription == null || entry.consumers == 0
                || entry.held != null) {
            return;
        }
        entry.held = holds.holdDurable(entry.key, entry.storeId, destinations.whenStored(entry.subscription));
        entry.stored = entry.held.thenAccept(id -> held(entry, id));
    }

    private void held(SubscriptionEntry entry, Long id) {
        synchronized (monitor) {
            if (id == null) {
                entry.removedElsewhere = true; // it goes here once its consumers close: this one is refused
                throw SubscriptionRefusals.removedElsewhere(entry.key);
            }
        }
    }

    /** The last consumer here closed: the hold is given back. @return completes once the store has it back */
    CompletableFuture<Void> giveBack(SubscriptionEntry entry) {
        if (entry.held == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> given = holds.giveBack(entry.key, entry.held);
        entry.held = null;
        entry.stored = null;
        return given;
    }

    /**
     * Replaces a stored durable subscription without consumers here for a consumer with other terms: the stored one
     * goes only if no other broker has consumers of it. The new one waits for that, its consumers start then or are
     * refused, and the old one stands aside meanwhile (back in place if refused).
     *
     * @return the new one, whose {@link SubscriptionEntry#stored} says
     */
    SubscriptionEntry replace(SubscriptionEntry old, Subscriptions.Request r) {
        entries.remove(old);
        SubscriptionEntry entry = new SubscriptionEntry(old.key, r.topicName(), r.selector(), r.noLocal(), r.shared(),
                destinations.subscriptionQueue(r.topicName(), r.connectionId()), destinations.storage().ids().next());
        entries.add(entry);
        CompletableFuture<Void> ready = new CompletableFuture<>();
        entry.stored = ready;
        holds.removeUnheld(old.key, old.storeId, written(old)).whenComplete((removed, e) -> replaced(old, entry, r,
                e != null ? e : removed ? null : SubscriptionRefusals.heldElsewhere(old.key, "changed",
                        ErrorCode.INVALID_SUBSCRIPTION), ready));
        return entry;
    }

    private void replaced(SubscriptionEntry old, SubscriptionEntry entry, Subscriptions.Request r, Throwable refusal,
                          CompletableFuture<Void> ready) {
        CompletableFuture<Void> next;
        synchronized (monitor) {
            boolean current = entries.get(entry.key) == entry;
            if (refusal != null) {
                if (current) {
                    entries.remove(entry);
                    entries.add(old);
                }
                entry.forget(destinations);
                ready.completeExceptionally(refusal);
                return;
            }
            old.forget(destinations); // its row went with its messages
            if (!current) { // replaced or unsubscribed again meanwhile (after its consumers closed)
                entry.forget(destinations);
                ready.completeExceptionally(SubscriptionRefusals.busy(entry.key, "changed again"));
                return;
            }
            entry.subscription = destinations.subscribe(entry.queue, r.topicName(), r.connectionId(), r.noLocal(),
                    Selector.compile(r.selector()), entry.storeId);
            monitor.store(entry);
            entry.stored = null;
            hold(entry);
            next = entry.stored != null ? entry.stored : destinations.whenStored(entry.subscription);
        }
        next.whenComplete((v, e) -> {
            if (e == null) {
                ready.complete(null);
            } else {
                ready.completeExceptionally(e);
            }
        });
    }

    /**
     * Unsubscribes a stored durable subscription without consumers here, unless another broker has consumers of it.
     *
     * @return completes once it is gone; fails with {@code ILLEGAL_STATE} while another broker holds it
     */
    CompletableFuture<Void> unsubscribe(SubscriptionEntry entry) {
        entry.removing = true;
        return holds.removeUnheld(entry.key, entry.storeId, written(entry)).handle((removed, e) -> unsubscribed(entry,
                e != null ? e : removed ? null : SubscriptionRefusals.heldElsewhere(entry.key, "unsubscribed",
                        ErrorCode.ILLEGAL_STATE)));
    }

    private Void unsubscribed(SubscriptionEntry entry, Throwable refusal) {
        synchronized (monitor) {
            entry.removing = false;
            if (refusal != null) {
                throw refusal instanceof CompletionException c ? c : new CompletionException(refusal);
            }
            if (entries.remove(entry)) {
                entry.forget(destinations);
            }
        }
        log.info("unsubscribed {}", Subscriptions.describe(entry.key));
        return null;
    }

    /** Where the subscription's own store write stands: a removal of its row goes after it. */
    private CompletableFuture<Void> written(SubscriptionEntry entry) {
        return entry.subscription == null ? CompletableFuture.completedFuture(null)
                : destinations.whenStored(entry.subscription);
    }
}
