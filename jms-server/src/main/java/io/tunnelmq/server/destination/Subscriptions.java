package io.tunnelmq.server.destination;

import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.selector.Selector;
import io.tunnelmq.server.store.DurableSubscription;
import io.tunnelmq.server.store.Failures;
import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoreOp;
import io.tunnelmq.server.store.StoredQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The broker's named topic subscriptions: durable ones (unshared or shared) and shared non-durable ones. Each is a
 * {@link TopicSubscription}, that is a peek-lock queue fed by its topic; consumers sharing one compete for its
 * messages. A durable subscription outlives its consumers until it is unsubscribed, and the broker: with a persistent
 * store it is stored when created and removed when unsubscribed (its persistent messages are stored with it); a shared
 * non-durable one ends with its last consumer. Over a store shared with other brokers, a shared non-durable
 * subscription is one for the consumers of every broker: held in the store while this broker has consumers of it
 * ({@link SubscriptionHolds}), a durable one is held while this broker has consumers of it ({@link DurableHolds}), and
 * the durable ones the other brokers make and remove are followed ({@link SubscriptionsElsewhere}).
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

    private final DestinationRegistry destinations;
    private final SubscriptionEntries entries;
    /** Null when no other broker shares the store. */
    private final SubscriptionHolds holds;
    /** Null when no other broker shares the store. */
    private final DurableHolds durables;
    private final SubscriptionsElsewhere elsewhere;

    /** @param listener the registry's listener now, told as named subscriptions come and go */
    Subscriptions(DestinationRegistry destinations, SubscriptionHolds holds, Supplier<DestinationListener> listener) {
        this.destinations = destinations;
        this.holds = holds;
        this.entries = new SubscriptionEntries(listener);
        this.durables = holds == null ? null : new DurableHolds(this, entries, destinations, holds);
        this.elsewhere = new SubscriptionsElsewhere(this, entries, destinations);
    }

    /**
     * Adds a consumer to the named subscription, creating it if needed. A durable subscription without consumers
     * whose topic, selector or noLocal changed is replaced (its messages are dropped); over a store shared with other
     * brokers only while none of them has consumers of it: the lease's {@link SubscriptionLease#stored()} says.
     *
     * @throws BrokerException {@code INVALID_CLIENT_ID} for an unshared durable subscription without a client ID;
     *                         {@code ILLEGAL_STATE} for a second consumer on an unshared durable subscription;
     *                         {@code INVALID_SUBSCRIPTION} when shared and unshared meet, or when a live subscription
     *                         has another topic or selector
     */
    public synchronized SubscriptionLease attach(Request r) {
        if (r.durable() && !r.shared() && r.clientId() == null) {
            throw SubscriptionRefusals.needsClientId(r.name());
        }
        SubscriptionEntry.Key key = new SubscriptionEntry.Key(r.clientId(), r.name(), r.durable());
        SubscriptionEntry entry = entries.get(key);
        if (entry != null && entry.removedElsewhere) {
            // unsubscribed through another broker: the consumers it has here are refused or get nothing more, and it
            // goes with the last of them (detach); this one makes it anew
            entries.remove(entry);
            entry = null;
        }
        if (entry != null) {
            SubscriptionRefusals.checkJoin(entry, r);
        }
        if (entry != null && !entry.sameTerms(r.topicName(), r.selector(), r.noLocal())) {
            if (durables != null && entry.storeId != 0) {
                if (entry.subscription == null) {
                    throw SubscriptionRefusals.busy(key, "being made or changed");
                }
                entry = durables.make(entry, r); // replaced unless another broker holds it
            } else {
                log.info("{} changed (topic '{}' selector {} -> topic '{}' selector {}): replaced, its messages"
                        + " dropped", describe(key), entry.topicName, quote(entry.selector), r.topicName(),
                        quote(r.selector()));
                entries.remove(entry);
                end(entry);
                entry = null; // made anew below
            }
        }
        if (entry == null && holds != null && r.shared() && !r.durable()) {
            entry = hold(key, r);
        } else if (entry == null && durables != null && r.durable()
                && destinations.storage().persistent().persistent()) {
            entry = durables.make(null, r);
        } else if (entry == null) {
            entry = create(key, r);
        } else if (entry.noLocal && entry.subscription != null
                && !entry.subscription.connectionId().equals(r.connectionId())) {
            // noLocal means "not from the connection that consumes now": follow the consumer to its new connection
            entry.subscription.follow(r.connectionId());
        }
        entry.consumers++;
        if (durables != null) {
            durables.hold(entry);
        }
        return new SubscriptionLease(entry, entry.stored != null ? entry.stored
                : destinations.whenStored(entry.subscription));
    }

    private SubscriptionEntry create(SubscriptionEntry.Key key, Request r) {
        // the session compiled (and so validated) the same selector before asking
        long storeId = r.durable() && destinations.storage().persistent().persistent()
                ? destinations.storage().ids().next() : 0;
        TopicSubscription subscription = destinations.subscribing().subscribe(r.topicName(), r.connectionId(),
                r.noLocal(), Selector.compile(r.selector()), storeId);
        SubscriptionEntry entry = new SubscriptionEntry(key, r.topicName(), r.selector(), r.noLocal(), r.shared(),
                subscription);
        entries.add(entry);
        if (storeId != 0) {
            store(entry);
        }
        log.debug("created {} on topic {}", describe(key), r.topicName());
        return entry;
    }

    /** Writes a new durable subscription to this broker's own store (a shared one makes it: {@link DurableHolds}). */
    private void store(SubscriptionEntry entry) {
        DurableSubscription stored = new DurableSubscription(entry.key.clientId(), entry.key.name(), entry.topicName,
                entry.selector, entry.noLocal, entry.shared);
        CompletableFuture<Void> write = destinations.storage().persistent()
                .write(List.of(new StoreOp.AddSubscription(entry.storeId, stored)));
        // its consumers are answered once it is written (the lease waits on whenStored), so a subscription whose
        // creation returned survives a crash; a persistent message for it is stored later in the same log
        destinations.subscribing().storing(entry.storeId, write);
        write.exceptionally(e -> {
            log.warn("could not store {}: it will not survive a broker restart: {}", describe(entry.key),
                    e.toString());
            return null;
        });
    }

    /**
     * A shared non-durable subscription over a store shared with other brokers: one for all of them, held in the store
     * while this broker has consumers of it; its queue is fed once held (and the consumers start then).
     */
    private SubscriptionEntry hold(SubscriptionEntry.Key key, Request r) {
        SubscriptionEntry entry = new SubscriptionEntry(key, r.topicName(), r.selector(), false, true,
                destinations.subscribing().subscriptionQueue(r.topicName(), r.connectionId()), 0);
        entries.add(entry);
        entry.held = holds.hold(r);
        entry.stored = entry.held.handle((id, e) -> held(entry, r, id, e));
        return entry;
    }

    private synchronized Void held(SubscriptionEntry entry, Request r, Long id, Throwable failure) {
        if (failure != null) {
            entries.remove(entry);
            entry.forget(destinations);
            throw Failures.completion(failure);
        }
        if (!entry.ended) {
            entry.subscription = destinations.subscribing().subscribe(entry.queue, r.topicName(), r.connectionId(), false,
                    Selector.compile(r.selector()), id);
            log.debug("{} held on topic {}", describe(entry.key), r.topicName());
        }
        return null;
    }

    /**
     * A consumer of the subscription closed: a shared non-durable subscription ends with its last consumer; a durable
     * one is given back in a store shared with other brokers, and goes if it was removed through one of them.
     *
     * @return completes once a store shared with other brokers has it back (at once if none), so that a close answered
     *         then leaves no hold for another broker's unsubscribe to stumble on; never fails
     */
    public synchronized CompletableFuture<Void> detach(SubscriptionLease lease) {
        CompletableFuture<Void> given = CompletableFuture.completedFuture(null);
        if (!lease.release()) {
            return given;
        }
        SubscriptionEntry entry = lease.entry();
        if (--entry.consumers > 0) {
            return given;
        }
        if (!entry.key.durable()) {
            if (entries.remove(entry)) {
                given = end(entry);
                log.debug("{} ended with its last consumer", describe(entry.key));
            }
            return given;
        }
        if (durables != null) {
            given = durables.giveBack(entry);
        }
        if (entry.removedElsewhere) {
            entries.remove(entry); // unless a consumer that came after set it aside (attach)
            entry.forget(destinations);
            log.info("{} was removed through another broker: gone here with its last consumer", describe(entry.key));
        }
        return given;
    }

    /**
     * Deletes a durable subscription and its messages; over a store shared with other brokers only while none of
     * them has consumers of it.
     *
     * @param clientId the connection's client ID, or null (then only a shared durable subscription made without one)
     * @return completes once deleted; fails with {@code ILLEGAL_STATE} when another broker has consumers of it
     * @throws BrokerException {@code INVALID_DESTINATION} if there is no such subscription, {@code ILLEGAL_STATE}
     *                         while it has a consumer or messages it delivered are still locked (unacknowledged)
     */
    public synchronized CompletableFuture<Void> unsubscribe(String clientId, String name) {
        SubscriptionEntry.Key key = new SubscriptionEntry.Key(clientId, name, true);
        if (!entries.contains(key) && durables != null) {
            // made through another broker a moment ago, its notice not here yet? The store says
            long asOf = entries.stamp(); // one made here while the row is read is newer than it
            return destinations.storage().shared().subscriptions().findDurable(clientId, name).thenCompose(found -> {
                if (found != null) {
                    changedElsewhere(found.id(), found.terms(), asOf);
                }
                return unsubscribeKnown(key);
            });
        }
        return unsubscribeKnown(key);
    }

    private synchronized CompletableFuture<Void> unsubscribeKnown(SubscriptionEntry.Key key) {
        SubscriptionEntry entry = entries.get(key);
        if (entry == null) {
            throw SubscriptionRefusals.noSuchDurable(key.clientId(), key.name());
        }
        if (entry.removing || entry.subscription == null) {
            throw SubscriptionRefusals.busy(key, entry.removing ? "being unsubscribed" : "being changed");
        }
        SubscriptionRefusals.checkUnsubscribe(entry);
        if (durables != null && entry.storeId != 0) {
            return durables.unsubscribe(entry);
        }
        entries.remove(entry);
        end(entry);
        log.info("unsubscribed {}", describe(key));
        return CompletableFuture.completedFuture(null);
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
        elsewhere.follow(shared);
    }

    /**
     * Another broker sharing the store made ({@code found}) or removed ({@code found} null) the durable subscription
     * with that store id: this broker follows ({@link SubscriptionsElsewhere#changed}).
     */
    public void changedElsewhere(long storeId, DurableSubscription found) {
        changedElsewhere(storeId, found, Long.MAX_VALUE);
    }

    /** {@link #changedElsewhere(long, DurableSubscription)} with {@code found} read after {@code asOf} ({@link #stamp}). */
    synchronized void changedElsewhere(long storeId, DurableSubscription found, long asOf) {
        elsewhere.changed(storeId, found, asOf);
    }

    /**
     * Follows what the shared store holds after this broker could not hear of changes for a while: durable
     * subscriptions made elsewhere are learned, those removed elsewhere forgotten.
     */
    public void resync(Map<Long, DurableSubscription> stored) {
        resync(stored, Long.MAX_VALUE);
    }

    /** What {@link SubscriptionEntries#stamp} says now: a resync read after it leaves entries made later alone. */
    synchronized long stamp() {
        return entries.stamp();
    }

    /** {@link #resync(Map)} with rows read after {@code asOf} ({@link #stamp}): entries made since were not in them. */
    synchronized void resync(Map<Long, DurableSubscription> stored, long asOf) {
        elsewhere.resync(stored, asOf);
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
        TopicSubscription subscription = destinations.subscribing().subscribe(s.topic(), "", s.noLocal(),
                Selector.compile(s.selector()), storeId);
        entries.add(new SubscriptionEntry(key, s.topic(), s.selector(), s.noLocal(), s.shared(), subscription));
        return subscription;
    }

    /** Ends a subscription here and in the store (the caller removed it from {@link #entries}). */
    private CompletableFuture<Void> end(SubscriptionEntry entry) {
        CompletableFuture<Void> given = entry.held == null ? CompletableFuture.completedFuture(null)
                : holds.giveBack(entry.key, entry.held);
        entry.forget(destinations);
        if (entry.storeId != 0 && entry.subscription != null) {
            // its stored messages are dropped by the retiring queue, or at the next recovery
            destinations.storage().persistent().write(List.of(new StoreOp.RemoveSubscription(entry.storeId)))
                    .exceptionally(e -> {
                        log.warn("could not store the removal of {}: it may come back after a broker restart: {}",
                                describe(entry.key), e.toString());
                        return null;
                    });
        }
        return given;
    }

    static String describe(SubscriptionEntry.Key key) {
        return SubscriptionRefusals.describe(key);
    }

    private static String quote(String s) {
        return SubscriptionRefusals.quote(s);
    }
}
