package io.tunnelmq.server.destination;

import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.selector.Selector;
import io.tunnelmq.server.store.DurableSubscription;
import io.tunnelmq.server.store.MessageStore;
import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoreOp;
import io.tunnelmq.server.store.StoredQueue;
import io.tunnelmq.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The broker's named topic subscriptions: durable ones (unshared or shared) and shared non-durable ones. Each is a
 * {@link TopicSubscription}, that is a peek-lock queue fed by its topic; consumers sharing one compete for its
 * messages. A durable subscription outlives its consumers until it is unsubscribed, and the broker: with a persistent
 * store it is stored when created and removed when unsubscribed (its persistent messages are stored with it); a shared
 * non-durable one ends with its last consumer. Over a store shared with other brokers, a shared non-durable
 * subscription is one for the consumers of every broker: held in the store while this broker has consumers of it
 * ({@link SubscriptionHolds}).
 *
 * <p>Identity follows JMS 2.0: client ID (null for a shared subscription made without one) plus name; durable and
 * shared non-durable subscriptions are separate name spaces. Thread-safe: connections of different event loops
 * attach concurrently; every check and count change happens under one monitor, held only for bookkeeping.
 */
public final class Subscriptions {
    private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);

    /** What a consumer asks for. */
    public record Request(String topicName, String clientId, String name, boolean durable, boolean shared,
                          String selector, boolean noLocal, String connectionId) {

        public Request {
            Objects.requireNonNull(topicName, "topicName");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(connectionId, "connectionId");
        }
    }

    /** A consumer's hold on a named subscription; give it back with {@link #detach}. */
    public static final class Lease {
        private final SubscriptionEntry entry;
        private final CompletableFuture<Void> stored;
        private boolean released;

        private Lease(SubscriptionEntry entry, CompletableFuture<Void> stored) {
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
         * Completes once the subscription is in the store, so publications through other brokers sharing it reach it
         * (at once without such brokers): the consumer starts then. Fails with a {@link BrokerException} when another
         * broker holds it with other terms.
         */
        public CompletableFuture<Void> stored() {
            return stored;
        }
    }

    private final DestinationRegistry destinations;
    private final SubscriptionEntries entries;
    /** Null when no other broker shares the store. */
    private final SubscriptionHolds holds;

    /** @param listener the registry's listener now, told as named subscriptions come and go */
    Subscriptions(DestinationRegistry destinations, SubscriptionHolds holds, Supplier<DestinationListener> listener) {
        this.destinations = destinations;
        this.holds = holds;
        this.entries = new SubscriptionEntries(listener);
    }

    /**
     * Adds a consumer to the named subscription, creating it if needed. A durable subscription without consumers
     * whose topic, selector or noLocal changed is replaced (its messages are dropped).
     *
     * @throws BrokerException {@code INVALID_CLIENT_ID} for an unshared durable subscription without a client ID;
     *                         {@code ILLEGAL_STATE} for a second consumer on an unshared durable subscription;
     *                         {@code INVALID_SUBSCRIPTION} when shared and unshared meet, or when a live subscription
     *                         has another topic or selector
     */
    public synchronized Lease attach(Request r) {
        if (r.durable() && !r.shared() && r.clientId() == null) {
            throw new BrokerException(ErrorCode.INVALID_CLIENT_ID, "durable subscription '" + r.name()
                    + "' needs a client ID: an unshared durable subscription is identified by client ID and name;"
                    + " set a client ID on the connection, or make it a shared durable subscription");
        }
        SubscriptionEntry.Key key = new SubscriptionEntry.Key(r.clientId(), r.name(), r.durable());
        SubscriptionEntry entry = entries.get(key);
        if (entry != null && entry.shared != r.shared()) {
            throw new BrokerException(ErrorCode.INVALID_SUBSCRIPTION, describe(key) + " already exists as "
                    + (entry.shared ? "a shared" : "an unshared") + " subscription; use another name, or "
                    + (r.durable() ? "unsubscribe it first" : "close its consumers first"));
        }
        if (entry != null && !entry.shared && entry.consumers > 0) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, describe(key) + " already has an active consumer;"
                    + " an unshared durable subscription allows one at a time (close it first, or use a shared"
                    + " durable subscription)");
        }
        if (entry != null && !entry.sameTerms(r.topicName(), r.selector(), r.noLocal())) {
            if (entry.consumers > 0) {
                throw new BrokerException(ErrorCode.INVALID_SUBSCRIPTION, describe(key) + " is in use on topic '"
                        + entry.topicName + "' with selector " + quote(entry.selector) + "; it cannot be shared with"
                        + " a consumer for topic '" + r.topicName() + "' with selector " + quote(r.selector())
                        + " (use the same topic and selector, or another subscription name)");
            }
            log.info("{} changed (topic '{}' selector {} -> topic '{}' selector {}): replaced, its messages dropped",
                    describe(key), entry.topicName, quote(entry.selector), r.topicName(), quote(r.selector()));
            end(entry);
            entry = null;
        }
        if (entry == null && holds != null && r.shared() && !r.durable()) {
            entry = hold(key, r);
        } else if (entry == null) {
            // the session compiled (and so validated) the same selector before asking
            MessageStore store = destinations.storage().persistent();
            long storeId = r.durable() && store.persistent() ? destinations.storage().ids().next() : 0;
            TopicSubscription subscription = destinations.subscribe(r.topicName(), r.connectionId(), r.noLocal(),
                    Selector.compile(r.selector()), storeId);
            entry = new SubscriptionEntry(key, r.topicName(), r.selector(), r.noLocal(), r.shared(), subscription);
            entries.add(entry);
            if (storeId != 0) {
                DurableSubscription stored = new DurableSubscription(r.clientId(), r.name(), r.topicName(),
                        r.selector(), r.noLocal(), r.shared());
                // the answer does not wait: a persistent message for it is stored later in the same log, so the
                // subscription is durable by the time any message it holds is
                CompletableFuture<Void> write = store.write(List.of(new StoreOp.AddSubscription(storeId, stored)));
                destinations.storing(storeId, write); // over a shared store its consumer waits for it
                SubscriptionEntry made = entry;
                write.exceptionally(e -> {
                    forgetUnstored(made);
                    log.warn("could not store {}: it will not survive a broker restart: {}", describe(key), e.toString());
                    return null;
                });
            }
            log.debug("created {} on topic {}", describe(key), r.topicName());
        } else if (entry.noLocal && !entry.subscription.connectionId().equals(r.connectionId())) {
            // noLocal means "not from the connection that consumes now": follow the consumer to its new connection
            entry.subscription.follow(r.connectionId());
        }
        entry.consumers++;
        return new Lease(entry, entry.stored != null ? entry.stored : destinations.whenStored(entry.subscription));
    }

    /**
     * A shared non-durable subscription over a store shared with other brokers: one for all of them, held in the store
     * while this broker has consumers of it; its queue is fed once held (and the consumers start then).
     */
    private SubscriptionEntry hold(SubscriptionEntry.Key key, Request r) {
        SubscriptionEntry entry = new SubscriptionEntry(key, r.topicName(), r.selector(), false, true,
                destinations.subscriptionQueue(r.topicName(), r.connectionId()), 0);
        entries.add(entry);
        entry.held = holds.hold(r);
        entry.stored = entry.held.handle((id, e) -> held(entry, r, id, e));
        return entry;
    }

    private synchronized Void held(SubscriptionEntry entry, Request r, Long id, Throwable failure) {
        if (failure != null) {
            entries.remove(entry);
            if (!entry.ended) {
                entry.ended = true;
                entry.queue.retire();
            }
            throw failure instanceof CompletionException c ? c : new CompletionException(failure);
        }
        if (!entry.ended) {
            entry.subscription = destinations.subscribe(entry.queue, r.topicName(), r.connectionId(), false,
                    Selector.compile(r.selector()), id);
            log.debug("{} held on topic {}", describe(entry.key), r.topicName());
        }
        return null;
    }

    /** A consumer of the subscription closed: a shared non-durable subscription ends with its last consumer. */
    public synchronized void detach(Lease lease) {
        if (lease.released) {
            return;
        }
        lease.released = true;
        SubscriptionEntry entry = lease.entry;
        entry.consumers--;
        if (entry.consumers == 0 && !entry.key.durable() && entries.remove(entry)) {
            end(entry);
            log.debug("{} ended with its last consumer", describe(entry.key));
        }
    }

    /**
     * Deletes a durable subscription and its messages.
     *
     * @param clientId the connection's client ID, or null (then only a shared durable subscription made without one)
     * @throws BrokerException {@code INVALID_DESTINATION} if there is no such subscription, {@code ILLEGAL_STATE}
     *                         while it has a consumer or messages it delivered are still locked (unacknowledged)
     */
    public synchronized void unsubscribe(String clientId, String name) {
        SubscriptionEntry.Key key = new SubscriptionEntry.Key(clientId, name, true);
        SubscriptionEntry entry = entries.get(key);
        if (entry == null) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "cannot unsubscribe: there is no durable"
                    + " subscription '" + name + "' for client ID " + quote(clientId) + "; check the name and the"
                    + " connection's client ID");
        }
        if (entry.consumers > 0) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, "cannot unsubscribe " + describe(key) + ": it has "
                    + entry.consumers + " active consumer(s); close them first");
        }
        long unsettled = entry.queue.stats().locked();
        if (unsettled > 0) {
            // JMS: not while a consumed message is unacknowledged or part of a pending transaction
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, "cannot unsubscribe " + describe(key) + ": "
                    + unsettled + " message(s) it delivered are not acknowledged yet (or wait in an open"
                    + " transaction); acknowledge, commit or roll back first");
        }
        entries.remove(entry);
        end(entry);
        log.info("unsubscribed {}", describe(key));
    }

    /** What a named subscription was made for: a consumer asking for other terms replaces it. */
    public record Terms(String topic, String selector, boolean noLocal) {
    }

    /** The terms of the named subscription with this client ID (null for none), name and durability, if it exists. */
    public synchronized Optional<Terms> terms(String clientId, String name, boolean durable) {
        SubscriptionEntry entry = entries.get(new SubscriptionEntry.Key(clientId, name, durable));
        return entry == null ? Optional.empty() : Optional.of(new Terms(entry.topicName, entry.selector, entry.noLocal));
    }

    /** Every named subscription now: a copy, for monitoring. */
    public synchronized List<NamedSubscription> named() {
        return entries.views();
    }

    /** Number of named subscriptions (durable and shared non-durable). */
    public synchronized int size() {
        return entries.size();
    }

    /** Follows the durable subscriptions other brokers sharing the store make and remove. */
    void follow(SharedQueues shared) {
        shared.listenSubscriptions(id -> {
            if (id == 0) {
                shared.durableSubscriptions().thenAccept(this::resync);
            } else {
                shared.subscription(id).thenAccept(found -> changedElsewhere(id, found));
            }
        });
    }

    /**
     * Another broker sharing the store made ({@code found}) or removed ({@code found} null) the durable subscription
     * with that store id: this broker follows, so a consumer of it here gets its messages. One removed elsewhere
     * while it has consumers here stays until they close (it gets nothing more).
     */
    public synchronized void changedElsewhere(long storeId, DurableSubscription found) {
        SubscriptionEntry known = entries.byStoreId(storeId);
        if (found == null && known != null && known.consumers == 0) {
            entries.remove(known);
            destinations.unsubscribe(known.subscription, true);
            log.info("{} was removed through another broker", describe(known.key));
        } else if (found != null && known == null) {
            SubscriptionEntry.Key key = new SubscriptionEntry.Key(found.clientId(), found.name(), true);
            if (!entries.contains(key)) {
                restore(storeId, found);
                log.debug("{} was made through another broker", describe(key));
            }
        }
    }

    /**
     * Follows what the shared store holds after this broker could not hear of changes for a while: durable
     * subscriptions made elsewhere are learned, those removed elsewhere forgotten (not one whose own store write is
     * still on its way).
     */
    public synchronized void resync(Map<Long, DurableSubscription> stored) {
        stored.forEach(this::changedElsewhere);
        for (SubscriptionEntry e : entries.all()) {
            if (e.key.durable() && e.storeId != 0 && !stored.containsKey(e.storeId)
                    && destinations.whenStored(e.subscription).isDone()) {
                changedElsewhere(e.storeId, null);
            }
        }
    }

    /**
     * Puts back a durable subscription recovered from the store, without consumers; its messages follow through its
     * queue. Over a shared store the same row may already have come in through {@link #resync} (the other brokers'
     * wake-ups are followed from before recovery reads the store): that one is returned.
     */
    public synchronized TopicSubscription restore(long storeId, DurableSubscription s) {
        SubscriptionEntry.Key key = new SubscriptionEntry.Key(s.clientId(), s.name(), true);
        SubscriptionEntry known = entries.get(key);
        if (known != null && known.storeId == storeId) {
            return known.subscription;
        }
        if (known != null) {
            throw new IllegalStateException(describe(key) + " is stored twice (store ids " + known.storeId + " and "
                    + storeId + ")");
        }
        TopicSubscription subscription = destinations.subscribe(s.topic(), "", s.noLocal(),
                Selector.compile(s.selector()), storeId);
        entries.add(new SubscriptionEntry(key, s.topic(), s.selector(), s.noLocal(), s.shared(), subscription));
        return subscription;
    }

    private void end(SubscriptionEntry entry) {
        entry.ended = true;
        if (entry.held != null) {
            holds.giveBack(entry.key.clientId(), entry.key.name(), entry.held);
        }
        if (entry.subscription == null) {
            entry.queue.retire(); // its hold is on its way: never fed
            return;
        }
        destinations.unsubscribe(entry.subscription, true);
        if (entry.storeId != 0) {
            // its stored messages are dropped by the retiring queue, or at the next recovery
            destinations.storage().persistent().write(List.of(new StoreOp.RemoveSubscription(entry.storeId)))
                    .exceptionally(e -> {
                        log.warn("could not store the removal of {}: it may come back after a broker restart: {}",
                                describe(entry.key), e.toString());
                        return null;
                    });
        }
    }

    /**
     * A subscription whose store write failed: over a shared store, another broker made the same one at the same
     * moment (the store keeps one per client ID and name), so this broker forgets its own and learns the other's.
     */
    private synchronized void forgetUnstored(SubscriptionEntry entry) {
        if (destinations.storage().shared() != null && entries.remove(entry)) {
            destinations.unsubscribe(entry.subscription, true);
        }
    }

    private static String describe(SubscriptionEntry.Key key) {
        return (key.durable() ? "durable subscription '" : "shared subscription '") + key.name() + "'"
                + (key.clientId() == null ? "" : " of client ID '" + key.clientId() + "'");
    }

    /** A selector (or other optional term) as error messages show it. */
    static String quote(String s) {
        return s == null ? "(none)" : "'" + s + "'";
    }
}
