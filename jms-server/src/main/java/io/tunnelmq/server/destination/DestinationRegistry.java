package io.tunnelmq.server.destination;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.PeerText;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.cluster.ClaimFeeds;
import io.tunnelmq.server.queue.DeadLetters;
import io.tunnelmq.server.queue.LockTokens;
import io.tunnelmq.server.queue.MemoryTracker;
import io.tunnelmq.server.queue.PeekLockQueue;
import io.tunnelmq.server.queue.QueueServices;
import io.tunnelmq.server.queue.QueueSettings;
import io.tunnelmq.server.queue.QueueStats;
import io.tunnelmq.server.queue.QueueTimer;
import io.tunnelmq.server.selector.Selector;
import io.tunnelmq.server.store.Storage;
import io.tunnelmq.server.store.StoredQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The broker's destinations. Queues and topics come into being on first use (a send or a consumer);
 * dead-letter queues ({@code DLQ.<name>}) on the first dead letter. Each non-durable topic consumer gets its own
 * subscription queue ({@link TopicSubscribing}); named (durable, shared) subscriptions live in {@link Subscriptions}, temporary destinations
 * in {@link TemporaryDestinations}. When the store is shared with other brokers ({@link Storage#shared()}), queues
 * and durable subscriptions are fed from it by claims ({@link ClaimFeeds}); temporary queues and non-durable
 * subscriptions stay this broker's own. Thread-safe.
 */
public final class DestinationRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DestinationRegistry.class);

    private final Map<String, PeekLockQueue> queues = new ConcurrentHashMap<>();
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final Function<String, QueueSettings> settings;
    private final ToLongFunction<String> maxBytes;
    private final QueueServices services;
    private final Storage storage;
    private final Subscriptions subscriptions;
    private final TemporaryDestinations temporaries = new TemporaryDestinations(this);
    private final DuplicateWindow duplicates;
    /** Null when no other broker shares the store. */
    private final ClaimFeeds feeds;
    private final TopicSubscribing subscribing;
    private final Routing routing;
    private volatile DestinationListener listener = DestinationListener.NONE;

    /**
     * A registry that keeps everything in memory (tests of the layers above).
     *
     * @param settings the settings of a queue by name (broker defaults merged with per-queue overrides)
     */
    public DestinationRegistry(QueueTimer timer, MemoryTracker memory, Function<String, QueueSettings> settings) {
        this(timer, memory, settings, queue -> 0, null, Storage.memory(), DuplicateWindow.Settings.DEFAULTS);
    }

    /**
     * @param settings    the settings of a queue by name (broker defaults merged with per-queue overrides)
     * @param maxBytes    the memory limit of a queue by name; 0 = the broker's
     * @param expiryQueue the queue expired messages are moved to; null drops them
     * @param storage     where persistent messages on durable destinations and durable subscriptions are stored
     * @param duplicates  how long and how many producers the broker remembers to recognise resent persistent sends
     */
    public DestinationRegistry(QueueTimer timer, MemoryTracker memory, Function<String, QueueSettings> settings,
                               ToLongFunction<String> maxBytes, String expiryQueue, Storage storage,
                               DuplicateWindow.Settings duplicates) {
        this.duplicates = new DuplicateWindow(Objects.requireNonNull(duplicates, "duplicates"),
                System::currentTimeMillis, storage.ids(), storage.persistent(), storage.shared() == null ? null
                : new ProducerLookups(id -> storage.shared().producer(id).thenApply(p -> p == null ? null
                        : new DuplicateWindow.Recovered(p.recordId(), p.last(), p.storedAtMillis()))));
        this.settings = Objects.requireNonNull(settings, "settings");
        this.maxBytes = Objects.requireNonNull(maxBytes, "maxBytes");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.services = new QueueServices(timer, new LockTokens(), memory, new DeadLetterMover(storage, this::queue), expiryQueue,
                new LazyStoreEvents(storage), storage.pages(), new MemoryTracker(storage.diskLimitBytes()));
        this.feeds = storage.shared() == null ? null : new ClaimFeeds(storage.shared(), timer,
                services.stored()::dropped, this::queue);
        this.subscribing = new TopicSubscribing(this::topic, settings, maxBytes, services, storage, feeds,
                () -> listener);
        this.subscriptions = new Subscriptions(this, storage.shared() == null ? null
                : new SubscriptionHolds(storage.shared().subscriptions(), storage.ids()), () -> listener);
        this.routing = new Routing(this, storage, feeds != null);
        if (storage.shared() != null) {
            subscriptions.follow(storage.shared());
        }
    }

    /** The bytes of messages kept on disk (stored or paged out), against the disk limit. */
    public MemoryTracker disk() {
        return services.disk();
    }

    /** Where messages are stored. */
    public Storage storage() {
        return storage;
    }

    /** The producers the broker remembers, so a resent persistent send is stored once. */
    public DuplicateWindow duplicates() {
        return duplicates;
    }

    /** Tells {@code newListener} (one at a time) when queues and subscriptions come and go. */
    public void listen(DestinationListener newListener) {
        listener = Objects.requireNonNull(newListener, "newListener");
    }

    /** The queue of that name, created if it does not exist yet. */
    public PeekLockQueue queue(String name) {
        PeekLockQueue existing = queues.get(name);
        if (existing != null) {
            return existing;
        }
        boolean[] created = new boolean[1];
        PeekLockQueue queue = queues.computeIfAbsent(name, n -> {
            log.info("created queue {}", PeerText.of(n));
            created[0] = true;
            PeekLockQueue made = new PeekLockQueue(n, DeadLetters.queueFor(n), settings.apply(n), services,
                    maxBytes.applyAsLong(n));
            if (feeds != null) {
                feeds.share(made, StoredQueue.queue(n)); // before anyone can send to it: it never holds unclaimed ones
            }
            return made;
        });
        if (created[0]) {
            listener.queueCreated(queue, isTemporaryQueue(name)); // outside the map's lock
        }
        return queue;
    }

    /** Every queue now (not topic subscriptions): a copy, for monitoring. */
    public List<PeekLockQueue> queues() {
        return List.copyOf(queues.values());
    }

    /** Every topic now: a copy, for monitoring. */
    public List<Topic> topics() {
        return List.copyOf(topics.values());
    }

    /** Whether a queue of that name is a temporary queue. */
    public boolean isTemporaryQueue(String name) {
        return temporaries.exists(new WireDestination(WireDestination.Kind.TEMPORARY_QUEUE, name));
    }

    /** Whether a topic of that name is a temporary topic. */
    public boolean isTemporaryTopic(String name) {
        return temporaries.exists(new WireDestination(WireDestination.Kind.TEMPORARY_TOPIC, name));
    }

    /**
     * Deletes a queue and the messages waiting on it (an operator's action); locked messages are dropped once their
     * consumers settle them. A send to it later creates it afresh.
     *
     * @return false if there is no such queue
     * @throws BrokerException {@code ILLEGAL_STATE} while it has consumers, {@code INVALID_DESTINATION} for a
     *                         temporary queue (it belongs to the connection that made it)
     */
    public boolean deleteQueue(String name) {
        PeekLockQueue queue = queues.get(name);
        if (queue == null) {
            return false;
        }
        if (isTemporaryQueue(name)) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "cannot delete temporary queue " + name
                    + ": it belongs to the connection that created it and goes with it");
        }
        int consumers = queue.stats().consumers();
        if (consumers > 0) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, "cannot delete queue " + name + ": it has " + consumers
                    + " consumer(s); close them first");
        }
        if (!queues.remove(name, queue)) {
            return false;
        }
        queue.retire();
        unshare(StoredQueue.queue(name));
        log.info("deleted queue {}", PeerText.of(name));
        listener.queueRemoved(queue, false);
        return true;
    }

    /** Whether the destination exists now (a queue or topic comes into being on first use). */
    public boolean exists(WireDestination destination) {
        return switch (destination.kind()) {
            case QUEUE -> queues.containsKey(destination.name());
            case TOPIC -> topics.containsKey(destination.name());
            case TEMPORARY_QUEUE, TEMPORARY_TOPIC -> temporaries.exists(destination);
        };
    }

    /** The queue of that name if it exists; never creates one. */
    public Optional<PeekLockQueue> findQueue(String name) {
        return Optional.ofNullable(queues.get(name));
    }

    /** Statistics of a queue, or empty if there is no such queue. */
    public Optional<QueueStats> queueStats(String name) {
        return findQueue(name).map(PeekLockQueue::stats);
    }

    /** The topic of that name, created if it does not exist yet. */
    public Topic topic(String name) {
        return topics.computeIfAbsent(name, n -> {
            log.info("created topic {}", PeerText.of(n));
            return new Topic(n);
        });
    }

    /** The named (durable and shared) topic subscriptions. */
    public Subscriptions subscriptions() {
        return subscriptions;
    }

    /** The temporary queues and topics and the connections that own them. */
    public TemporaryDestinations temporaries() {
        return temporaries;
    }

    /** Whether a queue has consumers attached, or a topic has subscriptions. */
    boolean hasConsumers(WireDestination destination) {
        if (destination.kind().isQueue()) {
            return findQueue(destination.name()).map(q -> q.stats().consumers() > 0).orElse(false);
        }
        Topic topic = topics.get(destination.name());
        return topic != null && topic.subscriptionCount() > 0;
    }

    /** Removes a (temporary) destination with its messages. */
    void drop(WireDestination destination) {
        if (destination.kind().isQueue()) {
            PeekLockQueue queue = queues.remove(destination.name());
            if (queue != null) {
                queue.retire();
                listener.queueRemoved(queue, destination.kind().isTemporary());
            }
        } else {
            topics.remove(destination.name());
        }
    }

    /**
     * Checks that the destination is of a kind this broker supports.
     *
     * @param action what the client wants to do, for the message ("send to", "consume from")
     * @throws BrokerException {@code INVALID_DESTINATION} for a temporary destination that does not exist, or a
     *     name its kind may not have ({@link WireDestination#TEMPORARY_PREFIX})
     */
    public void checkSupported(WireDestination destination, String action) {
        TemporaryDestinations.checkNamed(destination, action);
        if (destination.kind().isTemporary() && !temporaries.exists(destination)
                && (feeds == null || temporaries.deletedHere(destination))) {
            // over a shared store, one this broker never had may be another broker's: the store decides
            throw TemporaryDestinations.gone(destination, action);
        }
    }

    /**
     * Puts a message on its destination: a queue, or every subscription of a topic (none: dropped).
     *
     * @param publisherConnectionId the sending connection, for no-local subscriptions
     * @throws BrokerException {@code INVALID_DESTINATION} for kinds this broker does not support yet
     */
    public void publish(WireMessage message, String publisherConnectionId) {
        Publication publication = prepare(message, publisherConnectionId);
        if (publication.storeOps().isEmpty()) {
            publication.deliver();
        } else {
            storage.persistent().write(publication.storeOps()).thenRun(publication::deliver);
        }
    }

    /**
     * Decides where a message goes and what must be stored first ({@link Routing}). Nothing is visible until
     * {@link Publication#deliver()}.
     *
     * @throws BrokerException {@code INVALID_DESTINATION} for a temporary destination that does not exist
     */
    public Publication prepare(WireMessage message, String publisherConnectionId) {
        checkSupported(message.destination(), "send to");
        return routing.prepare(message, publisherConnectionId);
    }

    /** The topic of that name if it exists; never creates one. */
    Optional<Topic> findTopic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    /**
     * Subscribes to a topic with a new subscription queue; it receives what is published from now on.
     *
     * @param connectionId the subscribing connection
     * @param noLocal      skip messages that connection publishes
     */
    public TopicSubscription subscribe(String topicName, String connectionId, boolean noLocal) {
        return subscribe(topicName, connectionId, noLocal, null);
    }

    /**
     * Subscribes to a topic with a new subscription queue that receives what is published from now on and what
     * {@code selector} selects (null: everything).
     */
    public TopicSubscription subscribe(String topicName, String connectionId, boolean noLocal, Selector selector) {
        return subscribing.subscribe(topicName, connectionId, noLocal, selector, 0);
    }

    /** Subscribing queues to topics, for the named subscriptions of this package. */
    TopicSubscribing subscribing() {
        return subscribing;
    }

    /**
     * Completes once the subscription is in the store, so publications through other brokers sharing it reach it
     * (at once for one no other broker can publish to): a consumer on it is answered then.
     */
    public CompletableFuture<Void> whenStored(TopicSubscription subscription) {
        return subscribing.whenStored(subscription);
    }

    /**
     * Ends a subscription: the topic stops copying to it and its queue retires (waiting messages dropped, locked
     * ones stay with their owner until settled).
     */
    public void unsubscribe(TopicSubscription subscription) {
        subscribing.unsubscribe(subscription, false);
    }

    /** The claims of this broker's shared queues (backlog, purges across the brokers); empty without a shared store. */
    public Optional<ClaimFeeds> cluster() {
        return Optional.ofNullable(feeds);
    }

    /** Stops the claims of shared queues (the broker is stopping). */
    @Override
    public void close() {
        if (feeds != null) {
            feeds.close();
        }
    }

    private void unshare(StoredQueue key) {
        if (feeds != null) {
            feeds.unshare(key);
        }
    }
}
