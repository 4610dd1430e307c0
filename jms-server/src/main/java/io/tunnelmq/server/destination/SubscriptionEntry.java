package io.tunnelmq.server.destination;

import io.tunnelmq.server.queue.PeekLockQueue;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** One named subscription of {@link Subscriptions} and who consumes from it. Guarded by that registry's monitor. */
final class SubscriptionEntry {
    /** What identifies a named subscription: durable and shared non-durable ones are separate name spaces. */
    record Key(String clientId, String name, boolean durable) {
    }

    final Key key;
    final String topicName;
    final String selector;
    final boolean noLocal;
    final boolean shared;
    /**
     * The durable subscription's store id, 0 if it is not stored; over a store shared with other brokers the one this
     * broker proposed while it is being made, then the one the store answered ({@link SubscriptionEntries#made}).
     */
    long storeId;
    /** When it was added or made, in {@link SubscriptionEntries}' order: a later resync's rows include it. */
    long stamp;
    final PeekLockQueue queue;
    /** Null while a hold on a subscription shared with other brokers is on its way ({@link #held}). */
    TopicSubscription subscription;
    /**
     * A subscription shared with other brokers: held in the store, to give back at its end (a durable one: while it
     * has consumers here, {@link DurableHolds}); else null.
     */
    CompletableFuture<Long> held;
    /** What a new consumer's lease waits for: the hold, or a replacement on its way ({@link DurableHolds}); or null. */
    CompletableFuture<Void> stored;
    boolean ended;
    int consumers;
    /** An unsubscribe through this broker waits for the store to say whether another broker holds it. */
    boolean removing;
    /** Removed through another broker while it had consumers here: it goes here with the last of them. */
    boolean removedElsewhere;

    SubscriptionEntry(Key key, String topicName, String selector, boolean noLocal, boolean shared,
                      TopicSubscription subscription) {
        this(key, topicName, selector, noLocal, shared, subscription.queue(), subscription.storeId());
        this.subscription = subscription;
    }

    /** One shared with other brokers, without its subscription until held. */
    SubscriptionEntry(Key key, String topicName, String selector, boolean noLocal, boolean shared,
                      PeekLockQueue queue, long storeId) {
        this.key = key;
        this.storeId = storeId;
        this.topicName = topicName;
        this.selector = selector;
        this.noLocal = noLocal;
        this.shared = shared;
        this.queue = queue;
    }

    /** Ends it here only: its store row is gone, or never was (the caller removed it from its registry). */
    void forget(DestinationRegistry destinations) {
        if (ended) {
            return;
        }
        ended = true;
        if (subscription == null) {
            queue.retire(); // its hold or replacement is on its way: never fed
        } else {
            destinations.subscribing().unsubscribe(subscription, true);
        }
    }

    /** This subscription as monitoring sees it. */
    NamedSubscription view() {
        return new NamedSubscription(topicName, key.clientId(), key.name(), key.durable(), shared, queue, storeId,
                selector);
    }

    /**
     * Stored (and its hold, over a store shared with other brokers, answered) no later than {@code asOf}
     * ({@link SubscriptionEntries#stamp}): rows read from the store after that speak for it.
     */
    boolean storedBy(long asOf) {
        return storeId != 0 && subscription != null && stamp <= asOf;
    }

    boolean sameTerms(String topic, String sel, boolean nl) {
        return topicName.equals(topic) && Objects.equals(selector, sel) && noLocal == nl;
    }
}
