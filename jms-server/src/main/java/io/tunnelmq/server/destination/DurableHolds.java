package io.tunnelmq.server.destination;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.server.selector.Selector;
import io.tunnelmq.server.store.DurableSubscription;
import io.tunnelmq.server.store.Failures;
import io.tunnelmq.server.store.SharedSubscriptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

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
        entry.held = holds.holdDurable(entry.key, entry.storeId);
        entry.stored = entry.held.thenAccept(id -> held(entry, id));
    }

    private void held(SubscriptionEntry entry, Long id) {
        synchronized (monitor) {
            if (id == null) {
                // it goes here once its consumers close: this one is refused, and its session opens it again, which
                // makes the subscription anew (SubscriptionRemovedElsewhere)
                entry.removedElsewhere = true;
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
        if (entry.subscription != null) { // else being made: later consumers wait for that (and hold it again)
            entry.stored = null;
        }
        return given;
    }

    /**
     * Makes the durable subscription of {@code r} in the store for this broker's first consumer of it, or joins the one
     * another broker made at the same moment (this broker has not heard of it yet), in one step
     * ({@link SharedSubscriptions#holdDurable(long, DurableSubscription)}). {@code old}, this broker's subscription of
     * the name with other terms and no consumers here (or null), is replaced unless another broker holds it; it stands
     * aside meanwhile, back in place if refused. The new one is held for this broker from the start; its consumers
     * start once the store answered, or are refused.
     *
     * @return the new one, whose {@link SubscriptionEntry#stored} says
     */
    SubscriptionEntry make(SubscriptionEntry old, Subscriptions.Request r) {
        SubscriptionEntry.Key key = new SubscriptionEntry.Key(r.clientId(), r.name(), true);
        if (old != null) {
            entries.remove(old);
        }
        SubscriptionEntry entry = new SubscriptionEntry(key, r.topicName(), r.selector(), r.noLocal(), r.shared(),
                destinations.subscribing().subscriptionQueue(r.topicName(), r.connectionId()), destinations.storage().ids().next());
        entries.add(entry);
        DurableSubscription terms = new DurableSubscription(r.clientId(), r.name(), r.topicName(), r.selector(),
                r.noLocal(), r.shared());
        CompletableFuture<SharedSubscriptions.Held> answer = holds.makeDurable(key, entry.storeId, terms);
        entry.held = answer.thenApply(held -> held.terms().equals(terms) ? held.id() : null);
        entry.stored = answer.handle((held, e) -> made(old, entry, r, terms, held, e)).thenCompose(next -> next);
        return entry;
    }

    /**
     * The store answered {@code held} (null: it failed) for {@code terms}.
     *
     * @return what the consumers wait for still (the hold of consumers that came after the last one here closed),
     *         or their refusal
     */
    private CompletableFuture<Void> made(SubscriptionEntry old, SubscriptionEntry entry, Subscriptions.Request r,
                                         DurableSubscription terms, SharedSubscriptions.Held held, Throwable failure) {
        synchronized (monitor) {
            boolean current = entries.get(entry.key) == entry;
            if (!current || held == null || !held.terms().equals(terms)) {
                return CompletableFuture.failedFuture(refused(old, entry, current, held, failure));
            }
            if (old != null) {
                old.forget(destinations); // its row went with its messages
            }
            boolean joined = held.id() != entry.storeId;
            entries.made(entry, held.id()); // another broker's id, when it made it at the same moment
            entry.subscription = destinations.subscribing().subscribe(entry.queue, r.topicName(), r.connectionId(), r.noLocal(),
                    Selector.compile(r.selector()), held.id());
            log.info("{} {} on topic '{}' with selector {}", Subscriptions.describe(entry.key),
                    joined ? "joined (made through another broker at the same moment)"
                            : old != null ? "replaced (its messages dropped)" : "made",
                    r.topicName(), SubscriptionRefusals.quote(r.selector()));
            entry.stored = null;
            hold(entry); // its consumers here closed meanwhile (the store has it back) and others came
            return entry.stored != null ? entry.stored : CompletableFuture.completedFuture(null);
        }
    }

    /**
     * The store holds another subscription of the name than asked, or failed: the consumers are refused.
     *
     * @return why
     */
    private BrokerException refused(SubscriptionEntry old, SubscriptionEntry entry, boolean current,
                                    SharedSubscriptions.Held held, Throwable failure) {
        if (current) {
            entries.remove(entry);
        }
        entry.forget(destinations);
        boolean oldStands = current && old != null && (held == null || held.id() == old.storeId);
        if (oldStands) {
            entries.add(old);
        } else if (old != null) {
            old.forget(destinations); // removed through another broker meanwhile
        }
        if (current && !oldStands && held != null) {
            monitor.changedElsewhere(held.id(), held.terms()); // one this broker had not heard of: learned now
        }
        return failure != null ? SubscriptionRefusals.notStored(entry.key, failure)
                : !current ? SubscriptionRefusals.removedElsewhere(entry.key)
                : SubscriptionRefusals.heldElsewhere(entry.key, held.terms(), entry.shared);
    }

    /**
     * Unsubscribes a stored durable subscription without consumers here, unless another broker has consumers of it.
     *
     * @return completes once it is gone; fails with {@code ILLEGAL_STATE} while another broker holds it
     */
    CompletableFuture<Void> unsubscribe(SubscriptionEntry entry) {
        entry.removing = true;
        return holds.removeUnheld(entry.key, entry.storeId).handle((removed, e) -> unsubscribed(entry,
                e != null ? e : removed ? null : SubscriptionRefusals.heldElsewhere(entry.key, "unsubscribed",
                        ErrorCode.ILLEGAL_STATE)));
    }

    private Void unsubscribed(SubscriptionEntry entry, Throwable refusal) {
        synchronized (monitor) {
            entry.removing = false;
            if (refusal != null) {
                throw Failures.completion(refusal);
            }
            if (entries.remove(entry)) {
                entry.forget(destinations);
            }
        }
        log.info("unsubscribed {}", Subscriptions.describe(entry.key));
        return null;
    }
}
