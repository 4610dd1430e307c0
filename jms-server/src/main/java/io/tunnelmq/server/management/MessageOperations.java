package io.tunnelmq.server.management;

import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.cluster.ClaimFeeds;
import io.tunnelmq.server.destination.DestinationRegistry;
import io.tunnelmq.server.destination.MessageTransfer;
import io.tunnelmq.server.destination.NamedSubscription;
import io.tunnelmq.server.destination.Topic;
import io.tunnelmq.server.destination.TopicSubscription;
import io.tunnelmq.server.queue.DeadLetters;
import io.tunnelmq.server.queue.HeldMessage;
import io.tunnelmq.server.queue.HeldPage;
import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.queue.QueueFigures;
import io.tunnelmq.server.selector.Selector;
import io.tunnelmq.server.selector.SelectorException;
import io.tunnelmq.server.store.StoredQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The operations on a queue's messages behind {@link Management}: browse, move/copy, replay a dead-letter queue. Each
 * works page by page through the queue engine ({@link PeekLockQueue#inspect}, {@link PeekLockQueue#take}), so the
 * queue's lock is held for one bounded page at a time and consumers carry on meanwhile. Blocks until moved messages
 * are stored on their targets: call it from an operator's thread, never from an event loop.
 */
final class MessageOperations {
    private static final Logger log = LoggerFactory.getLogger(MessageOperations.class);
    /** Messages moved per page: one store write and one visit under the source's lock each. */
    private static final int MOVE_PAGE = 500;

    private final DestinationRegistry destinations;
    private final MessageTransfer transfer;
    private final Supplier<ConnectionDirectory> connections;

    MessageOperations(DestinationRegistry destinations, Supplier<ConnectionDirectory> connections) {
        this.destinations = destinations;
        this.transfer = new MessageTransfer(destinations);
        this.connections = connections;
    }

    /**
     * A subscription's queue, the topic it is of, its id in the message store (0: not stored), its selector (null:
     * all) and whose publications it takes (noLocal): the store holds a copy of each publication for every
     * subscription, which its broker filters as it claims.
     */
    private record Subscription(String topic, PeekLockQueue queue, long storeId, String selector,
                                Predicate<String> takesFrom) {
        /** What a store keeps its messages under; null for one it does not keep. */
        StoredQueue key() {
            return storeId == 0 ? null : StoredQueue.subscription(storeId);
        }
    }

    List<MessageView> browse(String queue, String selector, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("browse needs --max of at least 1, was " + max);
        }
        Source source = source(queue);
        Predicate<WireMessage> filter = filter(selector);
        List<MessageView> views = new ArrayList<>(Math.min(max, 256));
        if (source.here() != null) {
            ConnectionDirectory directory = connections.get();
            long cursor = 0;
            do {
                HeldPage page = source.here().inspect(filter, cursor, max - views.size());
                long now = System.currentTimeMillis();
                for (HeldMessage held : page.messages()) {
                    views.add(MessageViews.of(held, now, directory));
                }
                cursor = page.next();
            } while (cursor != 0 && views.size() < max);
        }
        source.stored().ifPresent(cluster -> StoredBrowse.append(cluster, source.key(), queue,
                source.belonging(filter), max, views));
        return views;
    }

    /** See {@link Management#purge}. */
    int purge(String name) {
        Source source = source(name);
        if (source.stored().isEmpty()) {
            return source.here().purge();
        }
        int purged = StoreWait.result(source.stored().get().purge(source.key()), "purge '" + name + "'",
                "its messages in the store go once it does");
        if (source.here() == null && purged == 0) {
            throw Management.noSuchQueue(name);
        }
        return purged;
    }

    /**
     * What an operator's browse or move reads of the queue (or subscription) operators call {@code name}.
     *
     * @param here   this broker's queue; null when the queue is in the shared store alone
     * @param stored over a store shared with other brokers, the claims through which its messages there are read
     * @param key    what the store keeps them under, when {@code stored} is present
     * @param only   a subscription's selector, which its copies in the store have not met yet (null: all belong)
     * @param from   whose publications a subscription takes (noLocal), checked as its copies are claimed (null: all)
     */
    private record Source(String name, PeekLockQueue here, Optional<ClaimFeeds> stored, StoredQueue key,
                          Selector only, Predicate<String> from) {
        /**
         * What {@code filter} chooses of its messages in the store, by message and publisher: a subscription's broker
         * drops those its selector or noLocal leave out as it claims.
         */
        BiPredicate<WireMessage, String> belonging(Predicate<WireMessage> filter) {
            return (m, publisher) -> filter.test(m) && Selector.matches(only, m)
                    && (from == null || from.test(publisher));
        }
    }

    /**
     * Over a store shared with other brokers: a queue of that name here, or none and no subscription either (the queue
     * may be in the store alone), or a subscription the store keeps (a durable or shared one). Else what is here.
     *
     * @throws IllegalArgumentException if there is no such queue
     */
    private Source source(String name) {
        Optional<ClaimFeeds> cluster = destinations.cluster();
        if (cluster.isEmpty() || name == null || name.isBlank() || destinations.isTemporaryQueue(name)) {
            return new Source(name, queueNamed(name), Optional.empty(), null, null, null);
        }
        Optional<PeekLockQueue> queue = destinations.findQueue(name);
        Subscription subscription = queue.isPresent() ? null : subscriptionQueues().get(name);
        if (subscription == null) {
            return new Source(name, queue.orElse(null), cluster, StoredQueue.queue(name), null, null);
        }
        return subscription.key() == null ? new Source(name, subscription.queue(), Optional.empty(), null, null, null)
                : new Source(name, subscription.queue(), cluster, subscription.key(),
                        Selector.compile(subscription.selector()), subscription.takesFrom());
    }

    MoveResult move(String from, String to, String selector, boolean copy) {
        Source source = source(from); // no such queue: said before anything about the target
        if (to == null || to.isBlank()) {
            throw new IllegalArgumentException("name the queue to " + (copy ? "copy" : "move") + " messages to");
        }
        String problem = Protocol.nameProblem("queue name", to);
        if (problem != null) {
            throw new IllegalArgumentException("cannot " + (copy ? "copy" : "move") + " messages there: " + problem);
        }
        if (from.equals(to)) {
            throw new IllegalArgumentException("cannot " + (copy ? "copy" : "move") + " queue '" + from
                    + "' onto itself; name another target queue");
        }
        if (destinations.isTemporaryQueue(to)) {
            throw new IllegalArgumentException("cannot move messages to temporary queue '" + to
                    + "': it belongs to the connection that created it");
        }
        Predicate<WireMessage> filter = filter(selector);
        WireDestination target = WireDestination.queue(to);
        MoveResult moved = relocate(source, filter, copy, m -> m.withDestination(target));
        log.info("{} {} message(s) from {} to {}{}{}", copy ? "copied" : "moved", moved.moved(), from, to,
                selector == null || selector.isBlank() ? "" : " (selector " + selector + ")",
                moved.lockedLeft() == 0 ? "" : "; " + moved.lockedLeft() + " locked message(s) left where they are");
        return moved;
    }

    MoveResult replay(String dlq, String selector, Predicate<WireDestination> mayTarget) {
        Source source = source(dlq);
        Predicate<WireMessage> chosen = filter(selector);
        // a message that does not say where it came from, came from a temporary queue that is gone, or names a
        // destination the operator may not administer (anyone who may send to the dead-letter queue can write the
        // property) stays
        Predicate<WireMessage> filter = m -> chosen.test(m) && replayTarget(m)
                .filter(t -> !t.name().equals(dlq) && mayTarget.test(t)).isPresent();
        MoveResult moved = relocate(source, filter, false, m -> replayed(m, replayTarget(m).orElseThrow()));
        log.info("replayed {} message(s) from {} to their original destinations{}", moved.moved(), dlq,
                moved.lockedLeft() == 0 ? "" : "; " + moved.lockedLeft() + " locked message(s) left where they are");
        return moved;
    }

    /**
     * Every queue, topic and subscription, by name; over a store shared with other brokers also the queues only the
     * store holds messages of (as it last said), with nothing held here.
     */
    List<DestinationView> destinations() {
        List<DestinationView> views = new ArrayList<>();
        boolean shared = destinations.cluster().isPresent();
        for (PeekLockQueue q : destinations.queues()) {
            boolean temporary = destinations.isTemporaryQueue(q.name());
            views.add(new DestinationView(q.name(), "queue", temporary, q.figures(), WireDestination.queue(q.name()),
                    shared ? StoredQueue.queue(q.name()) : null));
        }
        // not other brokers' temporary queues: they are their connections'
        destinations.cluster().ifPresent(cluster -> cluster.backlog().queues().keySet().stream()
                .filter(name -> destinations.findQueue(name).isEmpty()
                        && !name.startsWith(WireDestination.TEMPORARY_PREFIX))
                .forEach(name -> views.add(new DestinationView(name, "queue", false, QueueFigures.EMPTY,
                        WireDestination.queue(name), StoredQueue.queue(name)))));
        for (Topic topic : destinations.topics()) {
            boolean temporary = destinations.isTemporaryTopic(topic.name());
            views.add(new DestinationView(topic.name(), "topic", temporary, null, WireDestination.topic(topic.name()),
                    null));
        }
        for (Map.Entry<String, Subscription> s : subscriptionQueues().entrySet()) {
            Subscription subscription = s.getValue();
            views.add(new DestinationView(s.getKey(), "subscription",
                    destinations.isTemporaryTopic(subscription.topic()), subscription.queue().figures(),
                    WireDestination.topic(subscription.topic()),
                    shared ? subscription.key() : null));
        }
        views.sort((a, b) -> a.name().compareTo(b.name()));
        return views;
    }

    /**
     * The destination whose permissions cover what operators call {@code name} (see {@link DestinationView#name()}):
     * the queue of that name, or for a topic subscription's series its topic.
     */
    WireDestination scopeOf(String name) {
        Subscription subscription = destinations.findQueue(name).isPresent() ? null : subscriptionQueues().get(name);
        return subscription == null ? WireDestination.queue(name) : WireDestination.topic(subscription.topic());
    }

    /**
     * A queue by the name operators see: a queue's own name, a named subscription's {@code topic:clientId.name}, an
     * unnamed one's queue name.
     *
     * @throws IllegalArgumentException if there is none
     */
    PeekLockQueue queueNamed(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name a queue");
        }
        Optional<PeekLockQueue> queue = destinations.findQueue(name);
        if (queue.isPresent()) {
            return queue.get();
        }
        Subscription subscription = subscriptionQueues().get(name);
        if (subscription != null) {
            return subscription.queue();
        }
        throw Management.noSuchQueue(name);
    }

    /**
     * Over a store shared with other brokers, what the store keeps the messages of what operators call {@code name}
     * under (see {@link DestinationView#stored()}).
     */
    Optional<StoredQueue> storedKey(String name) {
        if (destinations.cluster().isPresent() && destinations.isTemporaryQueue(name)) {
            return Optional.of(StoredQueue.queue(name)); // in the store for its connection's failover, not for moves
        }
        return Optional.ofNullable(source(name).key());
    }

    /** The figures of a subscription by the name operators see, if there is one. */
    Optional<QueueFigures> subscriptionFigures(String name) {
        return Optional.ofNullable(subscriptionQueues().get(name)).map(s -> s.queue().figures());
    }

    /** Subscriptions by the name operators see (see {@link DestinationView#name()}). */
    private Map<String, Subscription> subscriptionQueues() {
        Map<PeekLockQueue, TopicSubscription> fed = new IdentityHashMap<>();
        for (Topic topic : destinations.topics()) {
            for (TopicSubscription s : topic.subscriptions()) {
                fed.put(s.queue(), s);
            }
        }
        Map<String, Subscription> byName = new LinkedHashMap<>();
        for (NamedSubscription s : destinations.subscriptions().named()) {
            TopicSubscription feeding = fed.remove(s.queue()); // none while a hold across the brokers is on its way
            byName.put(s.operatorName(), new Subscription(s.topic(), s.queue(), s.storeId(), s.selector(),
                    feeding == null ? null : feeding::takesFrom));
        }
        for (TopicSubscription s : fed.values()) {
            byName.put(s.queue().name(), new Subscription(s.topic().name(), s.queue(), s.storeId(),
                    s.selector() == null ? null : s.selector().text(), s::takesFrom));
        }
        return byName;
    }

    /**
     * Moves (or copies) what {@code filter} chooses from the source: over a store shared with other brokers its
     * messages in the store first ({@link StoredMoves}), then what this broker holds of it.
     */
    private MoveResult relocate(Source source, Predicate<WireMessage> filter, boolean copy,
                                Function<WireMessage, WireMessage> readdress) {
        int fromStore = source.stored().map(cluster -> StoredMoves.relocate(cluster, transfer, source.key(),
                source.name(), source.belonging(filter), copy, readdress)).orElse(0);
        if (source.here() == null) {
            return new MoveResult(fromStore, 0);
        }
        MoveResult here = relocate(source.here(), filter, copy, readdress);
        return new MoveResult(here.moved() + fromStore, here.lockedLeft());
    }

    private MoveResult relocate(PeekLockQueue source, Predicate<WireMessage> filter, boolean copy,
                           Function<WireMessage, WireMessage> readdress) {
        int moved = 0;
        int locked = 0;
        long cursor = 0;
        do {
            HeldPage page = copy ? source.inspect(filter, cursor, MOVE_PAGE)
                    : source.take(filter, cursor, MOVE_PAGE);
            if (cursor == 0) {
                locked = copy ? 0 : page.locked();
            }
            List<MessageTransfer.Relocation> relocations = new ArrayList<>(page.messages().size());
            for (HeldMessage held : page.messages()) {
                if (copy && held.state() == HeldMessage.State.LOCKED) {
                    locked++; // copies act on waiting messages only, as moves do
                    continue;
                }
                relocations.add(new MessageTransfer.Relocation(readdress.apply(held.message()),
                        copy ? 0 : held.storeId()));
            }
            if (!relocations.isEmpty()) {
                StoreWait.result(transfer.relocate(relocations), "write moved messages",
                        "they reach their targets once it does");
            }
            moved += relocations.size();
            cursor = page.next();
        } while (cursor != 0);
        return new MoveResult(moved, locked);
    }

    /** Where a dead letter goes back to: its original queue, or topic when only a topic has that name. */
    private Optional<WireDestination> replayTarget(WireMessage m) {
        if (!(m.properties().get(DeadLetters.ORIGINAL_DESTINATION) instanceof String name) || name.isBlank()) {
            return Optional.empty();
        }
        if (destinations.isTemporaryQueue(name) || destinations.isTemporaryTopic(name)) {
            return Optional.empty(); // a temporary destination is its connection's; replaying there is not ours to do
        }
        WireDestination topic = WireDestination.topic(name);
        if (destinations.exists(topic) && !destinations.exists(WireDestination.queue(name))) {
            return Optional.of(topic);
        }
        return Optional.of(WireDestination.queue(name));
    }

    /** A dead letter as it was before it was dead-lettered: its destination back, the reason properties gone. */
    private static WireMessage replayed(WireMessage m, WireDestination target) {
        Map<String, Object> properties = new LinkedHashMap<>(m.properties());
        properties.remove(DeadLetters.REASON);
        properties.remove(DeadLetters.ORIGINAL_DESTINATION);
        properties.remove(DeadLetters.DELIVERY_COUNT);
        return m.withDestination(target).withProperties(Collections.unmodifiableMap(properties));
    }

    private static Predicate<WireMessage> filter(String selector) {
        Selector compiled;
        try {
            compiled = Selector.compile(selector);
        } catch (SelectorException e) {
            throw new IllegalArgumentException("invalid selector: " + e.getMessage(), e);
        }
        return m -> Selector.matches(compiled, m);
    }
}
